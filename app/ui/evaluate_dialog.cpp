#include "app/ui/evaluate_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>
#include <cmath>

#include "app/ui/dataset_chooser.h"
#include "app/ui/dialog_settings.h"
#include "app/ui/error_label.h"
#include "app/ui/model_chooser.h"
#include "app/ui/precision_combo.h"
#include "core/common/error.h"
#include "core/tasks/dataset_spec.h"

namespace dynamax::app {

EvaluateDialog::EvaluateDialog(const WorkspaceSnapshot& workspace, QWidget* parent)
    : QDialog(parent), db_(workspace.path), workspace_classifiers_(workspace.classifiers),
      model_(new ModelChooser(workspace, this)), dataset_(new DatasetChooser(this)), limit_(new QSpinBox(this)),
      max_new_(new QSpinBox(this)), measure_(new QComboBox(this)), thresholds_(new QLineEdit("0.5, 0.7, 0.9", this)),
      strategy_label_(new QLabel(this)), strategy_(new QComboBox(this)), threads_(new QSpinBox(this)), precision_(new_precision_combo(this)),
      error_(new_error_label(this)) {
  setWindowTitle("Evaluate early-exit generation");
  const DatasetSpec demo = parse_dataset_spec(demo_dataset_spec());
  dataset_->set_dataset("text", QString::fromStdString(demo.path.string()), "window=64");
  dataset_->setToolTip("triviaqa / coqa / truthfulqa: generated answers; truthfulqa-mc: MC1/MC2; text: perplexity");
  limit_->setRange(0, 1'000'000);
  limit_->setSpecialValueText("all");
  limit_->setValue(4);
  max_new_->setRange(1, 4096);
  const EvaluateOptions defaults;
  max_new_->setValue(defaults.max_new_tokens);
  thresholds_->setToolTip("One early-exit policy per threshold, each compared with the full model");
  threads_->setRange(1, std::max(1, QThread::idealThreadCount()));
  threads_->setValue(std::max(1, QThread::idealThreadCount()));  // the window waits on the engine: every core works
  threads_->setToolTip("OpenBLAS threads for the engine");

  auto* form = new QFormLayout;
  form->addRow("Model", model_);
  form->addRow("Dataset", dataset_);
  form->addRow("Samples", limit_);
  form->addRow("Max new tokens", max_new_);
  form->addRow("Measure", measure_);
  form->addRow("Thresholds", thresholds_);
  form->addRow(strategy_label_, strategy_);
  form->addRow("Threads", threads_);
  form->addRow("Precision", precision_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText("Evaluate");
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(error_);
  layout->addWidget(buttons);
  resize(680, sizeHint().height());
  model_changed();

  connect(model_, &ModelChooser::changed, this, &EvaluateDialog::model_changed);
  connect(buttons, &QDialogButtonBox::accepted, this, &EvaluateDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &EvaluateDialog::reject);

  const QVariantMap last = load_dialog_settings("evaluate");
  recall_model_and_dataset(last, model_, dataset_);  // the model's measures and strategies follow
  limit_->setValue(last.value("limit", limit_->value()).toInt());
  max_new_->setValue(last.value("max_new", max_new_->value()).toInt());
  thresholds_->setText(last.value("thresholds", thresholds_->text()).toString());
  threads_->setValue(last.value("threads", threads_->value()).toInt());
  if (const int m = measure_->findText(last.value("measure").toString()); m >= 0) measure_->setCurrentIndex(m);
  if (const int s = strategy_->findText(last.value("strategy").toString()); s >= 0) strategy_->setCurrentIndex(s);
}

// The measures and strategies that apply to the chosen model: its classifiers, its architecture's strategies.
void EvaluateDialog::model_changed() {
  const QString kept = measure_->currentText();
  measure_->clear();
  measure_->addItems({"max-prob", "margin", "entropy", "saturation"});
  for (const WorkspaceClassifier& c : workspace_classifiers_)
    if (QString::fromStdString(c.model_path) == model_->folder())
      measure_->addItem("classifier:" + QString::fromStdString(c.name));
  if (measure_->findText(kept) >= 0) measure_->setCurrentText(kept);

  const std::optional<ModelConfig> config = model_->config();
  const bool mamba = config && !config->is_transformer();
  strategy_->clear();
  if (mamba) {
    strategy_label_->setText("Skipped blocks' states");
    strategy_->addItem("keep", "the skipped blocks' conv/SSM states stay as they are");
    strategy_->addItem("update", "each skipped block's partial forward on the exit state");
  } else {
    strategy_label_->setText("Skipped blocks' KV");
    strategy_->addItem("recompute", "CALM: K/V of each skipped block from the exit state");
    strategy_->addItem("copy-exit", "the exit block's K/V copied into every skipped block");
    strategy_->addItem("copy-prev", "the same block's K/V of the previous position");
    strategy_->addItem("mask", "no entry: later tokens do not attend to this position there");
  }
  for (int i = 0; i < strategy_->count(); ++i) strategy_->setItemData(i, strategy_->itemData(i), Qt::ToolTipRole);
}

std::vector<double> EvaluateDialog::thresholds() const {
  std::vector<double> out;
  for (const QString& part : thresholds_->text().split(',', Qt::SkipEmptyParts)) {
    bool ok = false;
    const double t = part.trimmed().toDouble(&ok);
    if (!ok || std::isnan(t)) throw Error("'" + part.trimmed().toStdString() + "' is not a number");
    out.push_back(t);
  }
  if (out.empty()) throw Error("give at least one, e.g. 0.5, 0.7, 0.9");
  return out;
}

QString EvaluateDialog::problem() const {
  if (const QString why = model_->problem(); !why.isEmpty()) return why;
  if (!model_->config()) return QString("%1: its config.json cannot be read.").arg(model_->folder());
  if (const QString why = dataset_->problem(); !why.isEmpty()) return why;
  try {
    thresholds();
  } catch (const std::exception& e) {
    return QString("Thresholds: %1").arg(QString::fromStdString(e.what()));
  }
  return {};
}

void EvaluateDialog::accept() {
  if (!show_problem(error_, problem())) return;
  QVariantMap values{{"limit", limit_->value()},          {"max_new", max_new_->value()},
                     {"thresholds", thresholds_->text()}, {"threads", threads_->value()},
                     {"measure", measure_->currentText()}, {"strategy", strategy_->currentText()}};
  remember_model_and_dataset(values, model_, dataset_);
  save_dialog_settings("evaluate", values);
  QDialog::accept();
}

EvaluateOptions EvaluateDialog::options() const {
  EvaluateOptions o;
  o.model_dir = model_->folder().toStdString();
  o.dataset_spec = dataset_->spec().toStdString();
  o.db_path = db_;
  o.limit = size_t(limit_->value());
  o.max_new_tokens = max_new_->value();
  o.threads = threads_->value();
  o.precision = chosen_precision(precision_);
  o.measure = parse_measure(measure_->currentText().toStdString());  // a classifier is found in the workspace by name
  o.thresholds = thresholds();
  const std::string strategy = strategy_->currentText().toStdString();
  if (strategy == "keep" || strategy == "update")
    o.skip.state = parse_state_strategy(strategy);
  else
    o.skip.kv = parse_kv_strategy(strategy);
  return o;
}

void EvaluateDialog::set_model_folder(const QString& folder) { model_->set_folder(folder); }

void EvaluateDialog::set_dataset(const QString& kind, const QString& path, const QString& options) {
  dataset_->set_dataset(kind, path, options);
}

void EvaluateDialog::set_limit(int samples) { limit_->setValue(samples); }
void EvaluateDialog::set_max_new_tokens(int tokens) { max_new_->setValue(tokens); }
void EvaluateDialog::set_measure(const QString& measure) { measure_->setCurrentText(measure); }
void EvaluateDialog::set_thresholds(const QString& thresholds) { thresholds_->setText(thresholds); }

QStringList EvaluateDialog::strategies() const {
  QStringList names;
  for (int i = 0; i < strategy_->count(); ++i) names << strategy_->itemText(i);
  return names;
}

}  // namespace dynamax::app
