#include "app/ui/calibration_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace dynamax::app {

namespace {

// δ, ε and the fraction all lie strictly between 0 and 1: the spin boxes cannot reach either end.
QDoubleSpinBox* open_unit_box(double value, const QString& tip, QWidget* parent) {
  auto* box = new QDoubleSpinBox(parent);
  box->setDecimals(3);
  box->setRange(0.001, 0.999);
  box->setSingleStep(0.01);
  box->setValue(value);
  box->setToolTip(tip);
  return box;
}

}  // namespace

CalibrationDialog::CalibrationDialog(const QVector<QPair<qint64, QString>>& runs, const QString& measure,
                                     QWidget* parent)
    : QDialog(parent), run_(new QComboBox(this)), risk_(new QComboBox(this)),
      delta_(open_unit_box(0.1, "The risk level: the expected risk on new samples may not exceed it", this)),
      epsilon_(open_unit_box(0.1, "The error rate: the chance, over the calibration samples, that the certified τ's "
                                  "risk exceeds δ after all", this)),
      fraction_(open_unit_box(0.5, "The share of whole samples that calibrate; the others are held out to check", this)),
      seed_(new QSpinBox(this)) {
  setWindowTitle("Calibrate the threshold");
  for (const auto& [id, name] : runs) run_->addItem(name, id);
  risk_->addItem("token: share of a sample's tokens that differ from the full model", int(RiskLevel::Token));
  risk_->addItem("sequence: a sample differs from the full model anywhere", int(RiskLevel::Sequence));
  seed_->setRange(0, 1 << 30);
  seed_->setValue(1);
  seed_->setToolTip("Seeds the random split of the samples");
  auto* form = new QFormLayout;
  form->addRow("Run", run_);
  form->addRow("Measure", new QLabel(measure, this));
  form->addRow("Risk", risk_);
  form->addRow("Risk level δ", delta_);
  form->addRow("Error rate ε", epsilon_);
  form->addRow("Calibration fraction", fraction_);
  form->addRow("Seed", seed_);
  auto* about = new QLabel("Learn then Test certifies the most aggressive τ whose risk against the full model stays "
                           "≤ δ with probability ≥ 1 − ε, for samples exchangeable with this run's: not under a "
                           "shift to other data.", this);
  about->setWordWrap(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText("Calibrate");
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(about);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

CalibrationChoice CalibrationDialog::choice() const {
  CalibrationChoice c;
  c.run_id = run_->currentData().toLongLong();
  c.options.risk = RiskLevel(risk_->currentData().toInt());
  c.options.delta = delta_->value();
  c.options.epsilon = epsilon_->value();
  c.options.calibration_fraction = fraction_->value();
  c.options.seed = uint64_t(seed_->value());
  return c;
}

void CalibrationDialog::set_choice(qint64 run_id, RiskLevel risk, double delta, double epsilon, double fraction,
                                   int seed) {
  run_->setCurrentIndex(std::max(0, run_->findData(run_id)));
  risk_->setCurrentIndex(risk_->findData(int(risk)));
  delta_->setValue(delta);
  epsilon_->setValue(epsilon);
  fraction_->setValue(fraction);
  seed_->setValue(seed);
}

}  // namespace dynamax::app
