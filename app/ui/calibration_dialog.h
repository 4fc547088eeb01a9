#pragma once
// "Calibrate τ": which of the shown runs, under the measure of the current view, at which risk level (token or
// sequence), δ, ε, calibration fraction and seed. Learn then Test certifies the most aggressive τ whose risk
// against the full model is ≤ δ with probability ≥ 1 − ε.
#include <QDialog>
#include <QVector>

#include "core/analysis/threshold_calibration.h"

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace dynamax::app {

struct CalibrationChoice {
  qint64 run_id = 0;
  CalibrationOptions options;
};

class CalibrationDialog : public QDialog {
  Q_OBJECT
 public:
  // `runs`: (id, name) of the runs the view shows; the first is preselected.
  CalibrationDialog(const QVector<QPair<qint64, QString>>& runs, const QString& measure, QWidget* parent = nullptr);

  CalibrationChoice choice() const;  // as filled in
  void set_choice(qint64 run_id, RiskLevel risk, double delta, double epsilon, double fraction, int seed);

 private:
  QComboBox* run_;
  QComboBox* risk_;
  QDoubleSpinBox* delta_;
  QDoubleSpinBox* epsilon_;
  QDoubleSpinBox* fraction_;
  QSpinBox* seed_;
};

}  // namespace dynamax::app
