#pragma once
// The numbers behind the trade-off plot's markers: one row per run at the current threshold, with the savings
// (1 − executed / full) in blocks and FLOPs, consistency, accuracy and mean depth.
#include <QColor>
#include <QTableWidget>
#include <cmath>

namespace dynamax::views {

struct OperatingPointRow {
  QString run;
  QColor color;               // the run's curve colour, as a swatch
  double tau = 0;
  double mean_depth = 0;
  int depths = 0;
  double block_savings = 0, flop_savings = 0;  // fractions
  double consistency = 0, accuracy = 0;        // fractions; accuracy NaN when the run has no accuracy positions
  // A calibrated run's risk level, error rate, certified τ and the held-out risk there; NaN when not calibrated.
  double delta = NAN, epsilon = NAN, certified_tau = NAN, held_out_risk = NAN;
};

class OperatingPointTable : public QTableWidget {
  Q_OBJECT
 public:
  explicit OperatingPointTable(QWidget* parent = nullptr);
  void set_rows(const QVector<OperatingPointRow>& rows);
};

}  // namespace dynamax::views
