#include "app/ui/record_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include "app/ui/dataset_chooser.h"
#include "app/ui/dialog_settings.h"
#include "app/ui/error_label.h"
#include "app/ui/model_chooser.h"
#include "app/ui/precision_combo.h"
#include "core/tasks/dataset_spec.h"

namespace dynamax::app {

RecordDialog::RecordDialog(const WorkspaceSnapshot& workspace, QWidget* parent)
    : QDialog(parent), db_(workspace.path), workspace_classifiers_(workspace.classifiers),
      model_(new ModelChooser(workspace, this)), dataset_(new DatasetChooser(this)), limit_(new QSpinBox(this)),
      top_k_(new QSpinBox(this)), threads_(new QSpinBox(this)),
      precision_(new_precision_combo(this)), classifiers_(new QListWidget(this)), error_(new_error_label(this)) {
  setWindowTitle("Record a run");
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
  threads_->setValue(std::max(1, QThread::idealThreadCount()));  // the window waits on the engine: every core works
  threads_->setToolTip("OpenBLAS threads for the engine");
  // Classifiers are picked by name from the workspace, not as files: the recording job writes each one out beside
  // the workspace (stored_classifier_file.h), so one kept only in the database works and the GUI reads nothing.
  classifiers_->setToolTip("Also record these exit classifiers' scores (tune them as classifier:NAME)");
  classifiers_->setMaximumHeight(90);

  auto* form = new QFormLayout;
  form->addRow("Model", model_);
  form->addRow("Dataset", dataset_);
  form->addRow("Samples", limit_);
  form->addRow("Top-k tokens", top_k_);
  form->addRow("Threads", threads_);
  form->addRow("Precision", precision_);
  form->addRow("Score with classifiers", classifiers_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText("Record");
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(error_);
  layout->addWidget(buttons);
  resize(680, sizeHint().height());
  list_classifiers_of(model_->folder());

  connect(model_, &ModelChooser::changed, this, &RecordDialog::list_classifiers_of);
  connect(buttons, &QDialogButtonBox::accepted, this, &RecordDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &RecordDialog::reject);

  const QVariantMap last = load_dialog_settings("record");
  recall_model_and_dataset(last, model_, dataset_);
  limit_->setValue(last.value("limit", limit_->value()).toInt());
  top_k_->setValue(last.value("top_k", top_k_->value()).toInt());
  threads_->setValue(last.value("threads", threads_->value()).toInt());
}

// Only the classifiers trained for this model can score it.
void RecordDialog::list_classifiers_of(const QString& model_folder) {
  classifiers_->clear();
  for (const WorkspaceClassifier& c : workspace_classifiers_) {
    if (QString::fromStdString(c.model_path) != model_folder) continue;
    auto* item = new QListWidgetItem(QString("%1  (%2)").arg(QString::fromStdString(c.name), QString::fromStdString(c.kind)),
                                     classifiers_);
    item->setData(Qt::UserRole, QString::fromStdString(c.name));
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Unchecked);
  }
  classifiers_->setEnabled(classifiers_->count() > 0);
  if (classifiers_->count() == 0) classifiers_->addItem("(none trained for this model)");
}

void RecordDialog::set_model_folder(const QString& folder) { model_->set_folder(folder); }

void RecordDialog::set_dataset(const QString& kind, const QString& path, const QString& options) {
  dataset_->set_dataset(kind, path, options);
}

void RecordDialog::set_limit(int limit) { limit_->setValue(limit); }

void RecordDialog::set_scored_classifiers(const QStringList& names) {
  for (int i = 0; i < classifiers_->count(); ++i) {
    QListWidgetItem* item = classifiers_->item(i);
    if (item->flags() & Qt::ItemIsUserCheckable)
      item->setCheckState(names.contains(item->data(Qt::UserRole).toString()) ? Qt::Checked : Qt::Unchecked);
  }
}

QString RecordDialog::problem() const {
  if (const QString why = model_->problem(); !why.isEmpty()) return why;
  return dataset_->problem();
}

void RecordDialog::accept() {
  if (!show_problem(error_, problem())) return;
  QVariantMap values{{"limit", limit_->value()}, {"top_k", top_k_->value()}, {"threads", threads_->value()}};
  remember_model_and_dataset(values, model_, dataset_);
  save_dialog_settings("record", values);
  QDialog::accept();
}

RecordOptions RecordDialog::options() const {
  RecordOptions o;
  o.model_dir = model_->folder().toStdString();
  o.dataset_spec = dataset_->spec().toStdString();
  o.db_path = db_;
  o.limit = size_t(limit_->value());
  o.top_k = top_k_->value();
  o.threads = threads_->value();
  o.precision = chosen_precision(precision_);
  for (int i = 0; i < classifiers_->count(); ++i)
    if (classifiers_->item(i)->checkState() == Qt::Checked)
      o.stored_classifiers.push_back(classifiers_->item(i)->data(Qt::UserRole).toString().toStdString());
  return o;
}

}  // namespace dynamax::app
