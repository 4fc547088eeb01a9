#include "app/ui/model_chooser.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QPushButton>

namespace dynamax::app {

ModelChooser::ModelChooser(const WorkspaceSnapshot& workspace, QWidget* parent)
    : QWidget(parent), combo_(new QComboBox(this)) {
  for (const WorkspaceModel& m : workspace.models)
    combo_->addItem(QString("%1  (%2, %3 blocks)").arg(QString::fromStdString(m.name), QString::fromStdString(m.architecture)).arg(m.depths),
                    QString::fromStdString(m.path));
  auto* browse = new QPushButton("Folder…", this);
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(combo_, 1);
  row->addWidget(browse);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString folder = QFileDialog::getExistingDirectory(this, "Model folder (Hugging Face layout)");
    if (!folder.isEmpty()) set_folder(folder);
  });
  connect(combo_, &QComboBox::currentIndexChanged, this, [this] { emit changed(folder()); });
}

void ModelChooser::set_folder(const QString& folder) {
  int index = combo_->findData(folder);
  if (index < 0) {
    combo_->addItem(QFileInfo(folder).fileName() + "  (" + folder + ")", folder);
    index = combo_->count() - 1;
  }
  combo_->setCurrentIndex(index);
}

QString ModelChooser::folder() const { return combo_->currentData().toString(); }

QString ModelChooser::problem() const {
  const QString dir = folder();
  if (dir.isEmpty()) return "Choose a model folder.";
  if (!QFileInfo(dir + "/config.json").isFile()) return QString("%1 is not a model folder: it has no config.json.").arg(dir);
  return {};
}

std::optional<ModelConfig> ModelChooser::config() const {
  if (!problem().isEmpty()) return std::nullopt;
  try {
    return load_model_config(folder().toStdString());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace dynamax::app
