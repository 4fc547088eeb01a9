#include "views/plot_percent_ticker.h"

#include <cmath>

namespace dynamax::views {

QString PercentTicker::getTickLabel(double tick, const QLocale& locale, QChar, int) {
  // Round away the binary noise of tick * 100 (0.07 * 100 = 7.000000000000001) before printing.
  const double percent = std::round(tick * 100.0 * 1e6) / 1e6;
  return locale.toString(percent, 'g', 6) + "%";
}

}  // namespace dynamax::views
