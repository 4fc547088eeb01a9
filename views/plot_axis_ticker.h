#pragma once
// Tick labels with one number of decimals along an axis ("0.8", "1.0" rather than "0.8", "1"),
// optionally showing a fraction in [0, 1] as percent (0.25 -> "25%").
#include <qcustomplot.h>

namespace dynamax::views {

class PlotTicker : public QCPAxisTicker {
 public:
  explicit PlotTicker(bool percent) : percent_(percent) {}

 protected:
  QVector<QString> createLabelVector(const QVector<double>& ticks, const QLocale& locale, QChar format_char,
                                     int precision) override;

 private:
  bool percent_;
};

}  // namespace dynamax::views
