#include "app/ui/train_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>

#include "app/jobs/train_exits_preset.h"
#include "app/ui/dataset_chooser.h"
#include "app/ui/dialog_settings.h"
#include "app/ui/error_label.h"
#include "app/ui/model_chooser.h"
#include "app/ui/precision_combo.h"
#include "core/common/error.h"
#include "core/exits/exit_placement.h"
#include "core/tasks/dataset_spec.h"

namespace dynamax::app {

namespace {

QString depth_list(const std::vector<int>& depths) {
  QStringList parts;
  for (int d : depths) parts << QString::number(d);
  return parts.join(", ");
}

// The spec's file must exist and the spec parse; empty when it is usable.
QString spec_problem(const QString& spec) {
  try {
    const DatasetSpec parsed = parse_dataset_spec(spec.toStdString());
    if (!QFileInfo(QString::fromStdString(parsed.path.string())).isFile())
      return QString("Training data %1: the file does not exist.").arg(spec);
  } catch (const std::exception& e) {
    return QString("Training data %1: %2").arg(spec, QString::fromStdString(e.what()));
  }
  return {};
}

}  // namespace

TrainDialog::TrainDialog(const WorkspaceSnapshot& workspace, QWidget* parent)
    : QDialog(parent), db_(workspace.path), model_(new ModelChooser(workspace, this)), train_specs_(new QListWidget(this)),
      train_input_(new DatasetChooser(this)), validate_separately_(new QCheckBox("Validate on", this)),
      valid_(new DatasetChooser(this)), limit_(new QSpinBox(this)), preset_(new QComboBox(this)), kind_(new QComboBox(this)),
      depths_(new QLineEdit(this)), top_k_(new QSpinBox(this)), epochs_(new QSpinBox(this)), seed_(new QSpinBox(this)),
      name_(new QLineEdit(this)), out_(new QLineEdit(this)), threads_(new QSpinBox(this)), precision_(new_precision_combo(this)), error_(new_error_label(this)) {
  setWindowTitle("Train exit classifiers");
  for (const WorkspaceClassifier& c : workspace.classifiers) classifier_names_.push_back(c.name);
  const QString demo = QString::fromStdString(demo_dataset_spec());
  train_specs_->addItem(demo);
  train_specs_->setMaximumHeight(80);
  const DatasetSpec parsed = parse_dataset_spec(demo.toStdString());
  train_input_->set_dataset("text", QString::fromStdString(parsed.path.string()), "window=64");
  valid_->set_dataset("text", {}, "window=64");
  valid_->setEnabled(false);
  validate_separately_->setToolTip("Unchecked: the last fifth of the training sequences validate");
  limit_->setRange(0, 1'000'000);
  limit_->setSpecialValueText("all");
  limit_->setToolTip("Sequences taken from each dataset");
  for (const std::string& preset : training_preset_names()) preset_->addItem(QString::fromStdString(preset));
  preset_->setToolTip("dynamax-code: the authors' code (linear exit, reversed top-15 label, weights 1:2:3:4, "
                      "schedule-free AdamW 2.5e-4, raw inputs, no early stopping); see docs/FIDELITY.md");
  for (const char* kind : {"linear", "ffn", "mamba"}) kind_->addItem(kind);
  kind_->setItemData(0, "CALM: one linear layer on h_d", Qt::ToolTipRole);
  kind_->setItemData(1, "up-projection, SiLU, down to the logit", Qt::ToolTipRole);
  kind_->setItemData(2, "a small Mamba2 block with its own state over the tokens (DYNAMAX)", Qt::ToolTipRole);
  depths_->setToolTip("Exit depths, comma-separated; empty: the default placement L/2, 5L/8, 3L/4, 7L/8");
  top_k_->setRange(1, 1000);
  top_k_->setValue(5);
  top_k_->setToolTip("Label: the exit's top-1 is among the full model's top-k");
  epochs_->setRange(1, 10'000);
  epochs_->setValue(TrainOptions{}.epochs);
  seed_->setRange(0, 1 << 30);
  name_->setText(QFileInfo(model_->folder()).fileName() + "-linear");
  threads_->setRange(1, std::max(1, QThread::idealThreadCount()));
  threads_->setValue(std::max(1, QThread::idealThreadCount()));  // the window waits on the engine: every core works
  threads_->setToolTip("OpenBLAS threads for the engine");

  auto* add = new QPushButton("Add", this);
  auto* remove = new QPushButton("Remove", this);
  auto* input_row = new QHBoxLayout;
  input_row->addWidget(train_input_, 1);
  input_row->addWidget(add);
  input_row->addWidget(remove);
  auto* training = new QVBoxLayout;
  training->addWidget(train_specs_);
  training->addLayout(input_row);
  auto* valid_row = new QHBoxLayout;
  valid_row->addWidget(validate_separately_);
  valid_row->addWidget(valid_, 1);
  auto* browse_out = new QPushButton("Save as…", this);
  auto* out_row = new QHBoxLayout;
  out_row->addWidget(out_, 1);
  out_row->addWidget(browse_out);
  auto* form = new QFormLayout;
  form->addRow("Model", model_);
  form->addRow("Training data", training);
  form->addRow("Validation", valid_row);
  form->addRow("Sequences per dataset", limit_);
  form->addRow("Preset", preset_);
  form->addRow("Classifier", kind_);
  form->addRow("Exit depths", depths_);
  form->addRow("Label top-k", top_k_);
  form->addRow("Epochs", epochs_);
  form->addRow("Seed", seed_);
  form->addRow("Name", name_);
  form->addRow("Output file", out_row);
  form->addRow("Threads", threads_);
  form->addRow("Precision", precision_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText("Train");
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(error_);
  layout->addWidget(buttons);
  resize(760, sizeHint().height());

  connect(model_, &ModelChooser::changed, this, &TrainDialog::model_changed);
  connect(kind_, &QComboBox::currentTextChanged, this, &TrainDialog::model_changed);
  connect(preset_, &QComboBox::currentTextChanged, this, [this](const QString& name) {
    TrainExitsOptions shown;  // the preset's kind and top-k fill their fields, which the user may still change
    apply_training_preset(name.toStdString(), shown);
    kind_->setCurrentText(classifier_kind_name(shown.classifier.kind));
    top_k_->setValue(shown.labels.top_k);
  });
  connect(name_, &QLineEdit::textChanged, this, [this] {
    out_->setPlaceholderText(QString::fromStdString(out_file().string()));
  });
  connect(add, &QPushButton::clicked, this, &TrainDialog::add_training_spec);
  connect(remove, &QPushButton::clicked, this, [this] { delete train_specs_->currentItem(); });
  connect(validate_separately_, &QCheckBox::toggled, valid_, &QWidget::setEnabled);
  connect(browse_out, &QPushButton::clicked, this, [this] {
    const QString file = QFileDialog::getSaveFileName(this, "Classifier file", QString::fromStdString(out_file().string()),
                                                      "Classifier (*.safetensors)");
    if (!file.isEmpty()) out_->setText(file);
  });
  connect(buttons, &QDialogButtonBox::accepted, this, &TrainDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &TrainDialog::reject);
  model_changed();

  const QVariantMap last = load_dialog_settings("train");
  recall_model_and_dataset(last, model_, nullptr);
  if (const QStringList specs = last.value("train_specs").toStringList(); !specs.isEmpty()) set_training_specs(specs);
  limit_->setValue(last.value("limit", limit_->value()).toInt());
  if (const int k = kind_->findText(last.value("kind").toString()); k >= 0) kind_->setCurrentIndex(k);
  depths_->setText(last.value("depths", depths_->text()).toString());
  top_k_->setValue(last.value("top_k", top_k_->value()).toInt());
  epochs_->setValue(last.value("epochs", epochs_->value()).toInt());
  seed_->setValue(last.value("seed", seed_->value()).toInt());
  threads_->setValue(last.value("threads", threads_->value()).toInt());
}

// The default placement and a default name follow the model and the kind.
void TrainDialog::model_changed() {
  const std::optional<ModelConfig> config = model_->config();
  try {
    depths_->setPlaceholderText(config ? "default: " + depth_list(default_exit_depths(config->num_layers)) : QString());
  } catch (const std::exception&) {
    depths_->setPlaceholderText({});
  }
  name_->setText(QFileInfo(model_->folder()).fileName() + "-" + kind_->currentText());
}

void TrainDialog::add_training_spec() {
  const QString why = train_input_->problem();
  if (!show_problem(error_, why)) return;
  train_specs_->addItem(train_input_->spec());
}

QStringList TrainDialog::training_specs() const {
  QStringList specs;
  for (int i = 0; i < train_specs_->count(); ++i) specs << train_specs_->item(i)->text();
  return specs;
}

std::vector<int> TrainDialog::depths() const {
  std::vector<int> out;
  for (const QString& part : depths_->text().split(',', Qt::SkipEmptyParts)) {
    bool ok = false;
    const int d = part.trimmed().toInt(&ok);
    if (!ok) throw Error("exit depths: '" + part.trimmed().toStdString() + "' is not a whole number");
    out.push_back(d);
  }
  return out;
}

std::filesystem::path TrainDialog::out_file() const {
  if (!out_->text().trimmed().isEmpty()) return out_->text().trimmed().toStdString();
  return db_.parent_path() / (name_->text().trimmed().toStdString() + ".safetensors");
}

QString TrainDialog::problem() const {
  if (const QString why = model_->problem(); !why.isEmpty()) return why;
  const std::optional<ModelConfig> config = model_->config();
  if (!config) return QString("%1: its config.json cannot be read.").arg(model_->folder());
  if (train_specs_->count() == 0) return "Add at least one training dataset.";
  for (const QString& spec : training_specs())
    if (const QString why = spec_problem(spec); !why.isEmpty()) return why;
  if (validate_separately_->isChecked())
    if (const QString why = valid_->problem(); !why.isEmpty()) return "Validation: " + why;
  try {
    validated_exit_depths(config->num_layers, depths());
  } catch (const std::exception& e) {
    return QString("Exit depths: %1").arg(QString::fromStdString(e.what()));
  }
  if (name_->text().trimmed().isEmpty()) return "Give the classifier a name.";
  const QFileInfo out(QString::fromStdString(out_file().string()));
  if (!out.absoluteDir().exists()) return QString("The output folder %1 does not exist.").arg(out.absolutePath());
  return {};
}

// What training under these names would replace; empty when nothing is taken.
QString TrainDialog::taken() const {
  QStringList what;
  const std::string name = name_->text().trimmed().toStdString();
  for (const std::string& existing : classifier_names_)
    if (existing == name) what << QString("the workspace's classifier '%1'").arg(name_->text().trimmed());
  if (std::filesystem::exists(out_file())) what << QString("the file %1").arg(QString::fromStdString(out_file().string()));
  return what.join(" and ");
}

void TrainDialog::accept() {
  if (!show_problem(error_, problem())) return;
  replace_ = false;
  if (const QString what = taken(); !what.isEmpty()) {
    const auto answer = QMessageBox::question(
        this, "Replace the classifier?",
        QString("Training would replace %1.\n\nThe workspace keeps the earlier version, and the runs that used it "
                "keep theirs. Replace?").arg(what),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes) return;
    replace_ = true;
  }
  QVariantMap values{{"train_specs", training_specs()}, {"limit", limit_->value()}, {"kind", kind_->currentText()},
                     {"depths", depths_->text()},       {"top_k", top_k_->value()}, {"epochs", epochs_->value()},
                     {"seed", seed_->value()},          {"threads", threads_->value()}};
  remember_model_and_dataset(values, model_, nullptr);
  save_dialog_settings("train", values);
  QDialog::accept();
}

TrainExitsOptions TrainDialog::options() const {
  TrainExitsOptions o;
  o.model_dir = model_->folder().toStdString();
  for (const QString& spec : training_specs()) o.train_specs.push_back(spec.toStdString());
  if (validate_separately_->isChecked()) o.valid_specs = {valid_->spec().toStdString()};
  o.limit = size_t(limit_->value());
  apply_training_preset(preset_->currentText().toStdString(), o);
  o.classifier.kind = parse_classifier_kind(kind_->currentText().toStdString());
  o.depths = depths();
  o.labels.top_k = top_k_->value();
  o.training.epochs = epochs_->value();
  o.training.seed = uint64_t(seed_->value());
  o.name = name_->text().trimmed().toStdString();
  o.out = out_file();
  o.db_path = db_;
  o.threads = threads_->value();
  o.precision = chosen_precision(precision_);
  o.replace = replace_;
  return o;
}

void TrainDialog::set_model_folder(const QString& folder) { model_->set_folder(folder); }

void TrainDialog::set_preset(const QString& preset) { preset_->setCurrentText(preset); }

void TrainDialog::set_training_specs(const QStringList& specs) {
  train_specs_->clear();
  train_specs_->addItems(specs);
}

void TrainDialog::set_validation_spec(const QString& kind, const QString& path, const QString& options) {
  validate_separately_->setChecked(!path.isEmpty());
  valid_->set_dataset(kind, path, options);
}

void TrainDialog::set_limit(int sequences) { limit_->setValue(sequences); }
void TrainDialog::set_kind(const QString& kind) { kind_->setCurrentText(kind); }
void TrainDialog::set_depths(const QString& depths) { depths_->setText(depths); }
void TrainDialog::set_epochs(int epochs) { epochs_->setValue(epochs); }
void TrainDialog::set_name(const QString& name) { name_->setText(name); }

}  // namespace dynamax::app
