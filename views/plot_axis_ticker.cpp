#include "views/plot_axis_ticker.h"

#include <algorithm>
#include <cmath>

namespace dynamax::views {

namespace {

constexpr int kMaxDecimals = 6;

// The fewest decimals that print every value exactly (up to binary noise such as 0.1 + 0.2).
int decimals_for(const QVector<double>& values) {
  for (int decimals = 0; decimals < kMaxDecimals; ++decimals) {
    const double scale = std::pow(10.0, decimals);
    const bool exact = std::all_of(values.begin(), values.end(), [&](double v) {
      return std::abs(v * scale - std::round(v * scale)) < 1e-6 * std::max(1.0, std::abs(v * scale));
    });
    if (exact) return decimals;
  }
  return kMaxDecimals;
}

}  // namespace

QVector<QString> PlotTicker::createLabelVector(const QVector<double>& ticks, const QLocale& locale, QChar format_char,
                                               int precision) {
  QVector<double> values = ticks;
  double largest = 0;
  for (double& v : values) {
    if (percent_) v *= 100.0;
    if (std::abs(v) < 1e-12) v = 0.0;  // no "-0.0"
    largest = std::max(largest, std::abs(v));
  }
  // Very large or very small numbers read better in QCustomPlot's own exponent notation.
  if (largest >= 1e6 || (largest > 0 && largest < 1e-4))
    return QCPAxisTicker::createLabelVector(ticks, locale, format_char, precision);
  const int decimals = decimals_for(values);
  QVector<QString> labels;
  for (double v : values) labels.push_back(locale.toString(v, 'f', decimals) + (percent_ ? "%" : ""));
  return labels;
}

}  // namespace dynamax::views
