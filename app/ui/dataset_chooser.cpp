#include "app/ui/dataset_chooser.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

#include "core/tasks/dataset_spec.h"

namespace dynamax::app {

namespace {

QString default_options(const QString& kind) {
  if (kind == "text") return "window=64";
  if (kind == "triviaqa") return "shots=2";
  return {};
}

}  // namespace

DatasetChooser::DatasetChooser(QWidget* parent)
    : QWidget(parent), kind_(new QComboBox(this)), path_(new QLineEdit(this)), options_(new QLineEdit(this)) {
  for (const std::string& kind : dataset_kinds()) kind_->addItem(QString::fromStdString(kind));
  path_->setPlaceholderText("dataset file");
  options_->setPlaceholderText("options");
  options_->setToolTip("The spec's options after '#', e.g. window=64 (text) or shots=2 (triviaqa)");
  options_->setMaximumWidth(130);
  auto* browse = new QPushButton("File…", this);
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(kind_);
  row->addWidget(path_, 1);
  row->addWidget(browse);
  row->addWidget(options_);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString file = QFileDialog::getOpenFileName(this, "Dataset file", path_->text());
    if (!file.isEmpty()) path_->setText(file);
  });
  // A file of one kind is not one of another: each kind keeps its own path, empty until one is chosen.
  connect(kind_, &QComboBox::textActivated, this, [this](const QString& kind) {
    if (kind == shown_kind_) return;
    paths_[shown_kind_] = path_->text();
    shown_kind_ = kind;
    path_->setText(paths_.value(kind));
    options_->setText(default_options(kind));
  });
}

void DatasetChooser::set_kind(const QString& kind) {
  kind_->setCurrentText(kind);
  emit kind_->textActivated(kind_->currentText());
}

QString DatasetChooser::path() const { return path_->text().trimmed(); }
QString DatasetChooser::options() const { return options_->text().trimmed(); }

void DatasetChooser::set_dataset(const QString& kind, const QString& path, const QString& options) {
  kind_->setCurrentText(kind);
  shown_kind_ = kind_->currentText();
  path_->setText(path);
  options_->setText(options);
}

QString DatasetChooser::kind() const { return kind_->currentText(); }

QString DatasetChooser::spec() const {
  QString spec = kind_->currentText() + ":" + path_->text().trimmed();
  if (!options_->text().trimmed().isEmpty()) spec += "#" + options_->text().trimmed();
  return spec;
}

QString DatasetChooser::problem() const {
  const QString path = path_->text().trimmed();
  if (!QFileInfo(path).isFile()) return QString("Dataset file %1 does not exist.").arg(path.isEmpty() ? "(none)" : path);
  try {
    parse_dataset_spec(spec().toStdString());
  } catch (const std::exception& e) {
    return QString("Dataset: %1").arg(QString::fromStdString(e.what()));
  }
  return {};
}

}  // namespace dynamax::app
