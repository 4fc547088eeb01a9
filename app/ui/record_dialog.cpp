#include "app/ui/record_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>

#include "app/demo_paths.h"
#include "core/tasks/dataset_spec.h"

namespace dynamax::app {

namespace {

QString default_options(const QString& kind) {
  if (kind == "text") return "window=64";
  if (kind == "triviaqa") return "shots=2";
  return {};
}

}  // namespace

RecordDialog::RecordDialog(const WorkspaceSnapshot& workspace, QWidget* parent)
    : QDialog(parent), db_(workspace.path), model_(new QComboBox(this)), kind_(new QComboBox(this)),
      path_(new QLineEdit(this)), dataset_options_(new QLineEdit(this)), limit_(new QSpinBox(this)),
      top_k_(new QSpinBox(this)), threads_(new QSpinBox(this)), error_(new QLabel(this)) {
  setWindowTitle("Record a run");
  for (const WorkspaceModel& m : workspace.models)
    model_->addItem(QString("%1  (%2, %3 blocks)").arg(QString::fromStdString(m.name), QString::fromStdString(m.architecture)).arg(m.depths),
                    QString::fromStdString(m.path));
  for (const std::string& kind : dataset_kinds()) kind_->addItem(QString::fromStdString(kind));
  const DatasetSpec demo = parse_dataset_spec(demo_dataset_spec());
  set_dataset("text", QString::fromStdString(demo.path.string()), "window=64");
  limit_->setRange(0, 1'000'000);
  limit_->setSpecialValueText("all");
  limit_->setValue(12);
  top_k_->setRange(0, 100);
  top_k_->setSpecialValueText("off");
  top_k_->setValue(5);
  top_k_->setToolTip("The most likely tokens stored per (token, depth), listed when hovering the inspector's heatmap");
  threads_->setRange(1, std::max(1, QThread::idealThreadCount()));
  threads_->setValue(std::max(1, QThread::idealThreadCount() - 1));  // one core stays with the window
  threads_->setToolTip("OpenBLAS threads for the engine");
  error_->setWordWrap(true);
  error_->setStyleSheet("color: #D55E00;");
  error_->hide();

  auto* browse_model = new QPushButton("Folder…", this);
  auto* model_row = new QHBoxLayout;
  model_row->addWidget(model_, 1);
  model_row->addWidget(browse_model);
  auto* browse_data = new QPushButton("File…", this);
  auto* path_row = new QHBoxLayout;
  path_row->addWidget(path_, 1);
  path_row->addWidget(browse_data);
  auto* form = new QFormLayout;
  form->addRow("Model", model_row);
  form->addRow("Dataset kind", kind_);
  form->addRow("Dataset file", path_row);
  form->addRow("Dataset options", dataset_options_);
  form->addRow("Samples", limit_);
  form->addRow("Top-k tokens", top_k_);
  form->addRow("Threads", threads_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText("Record");
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(error_);
  layout->addWidget(buttons);
  resize(620, sizeHint().height());

  connect(browse_model, &QPushButton::clicked, this, &RecordDialog::browse_model);
  connect(browse_data, &QPushButton::clicked, this, &RecordDialog::browse_dataset);
  connect(kind_, &QComboBox::textActivated, this, &RecordDialog::kind_changed);
  connect(buttons, &QDialogButtonBox::accepted, this, &RecordDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &RecordDialog::reject);
}

void RecordDialog::set_model_folder(const QString& folder) {
  int index = model_->findData(folder);
  if (index < 0) {
    model_->addItem(QFileInfo(folder).fileName() + "  (" + folder + ")", folder);
    index = model_->count() - 1;
  }
  model_->setCurrentIndex(index);
}

void RecordDialog::set_dataset(const QString& kind, const QString& path, const QString& options) {
  kind_->setCurrentText(kind);
  path_->setText(path);
  dataset_options_->setText(options);
}

void RecordDialog::set_limit(int limit) { limit_->setValue(limit); }

void RecordDialog::browse_model() {
  const QString folder = QFileDialog::getExistingDirectory(this, "Model folder (Hugging Face layout)");
  if (!folder.isEmpty()) set_model_folder(folder);
}

void RecordDialog::browse_dataset() {
  const QString file = QFileDialog::getOpenFileName(this, "Dataset file", path_->text());
  if (!file.isEmpty()) path_->setText(file);
}

void RecordDialog::kind_changed(const QString& kind) { dataset_options_->setText(default_options(kind)); }

QString RecordDialog::dataset_spec() const {
  QString spec = kind_->currentText() + ":" + path_->text().trimmed();
  if (!dataset_options_->text().trimmed().isEmpty()) spec += "#" + dataset_options_->text().trimmed();
  return spec;
}

QString RecordDialog::problem() const {
  const QString folder = model_->currentData().toString();
  if (folder.isEmpty()) return "Choose a model folder.";
  if (!QFileInfo(folder + "/config.json").isFile())
    return QString("%1 is not a model folder: it has no config.json.").arg(folder);
  const QString path = path_->text().trimmed();
  if (!QFileInfo(path).isFile()) return QString("Dataset file %1 does not exist.").arg(path.isEmpty() ? "(none)" : path);
  try {
    parse_dataset_spec(dataset_spec().toStdString());
  } catch (const std::exception& e) {
    return QString("Dataset: %1").arg(QString::fromStdString(e.what()));
  }
  return {};
}

void RecordDialog::accept() {
  const QString why = problem();
  error_->setText(why);
  error_->setVisible(!why.isEmpty());
  if (why.isEmpty()) QDialog::accept();
}

RecordOptions RecordDialog::options() const {
  RecordOptions o;
  o.model_dir = model_->currentData().toString().toStdString();
  o.dataset_spec = dataset_spec().toStdString();
  o.db_path = db_;
  o.limit = size_t(limit_->value());
  o.top_k = top_k_->value();
  o.threads = threads_->value();
  return o;
}

}  // namespace dynamax::app
