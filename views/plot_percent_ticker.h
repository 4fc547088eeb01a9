#pragma once
// Axis ticks for a fraction in [0, 1] labelled as percent (0.25 -> "25%"); steps stay "nice" in percent.
#include <qcustomplot.h>

namespace dynamax::views {

class PercentTicker : public QCPAxisTicker {
 protected:
  QString getTickLabel(double tick, const QLocale& locale, QChar format_char, int precision) override;
};

}  // namespace dynamax::views
