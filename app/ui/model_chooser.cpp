#include "app/ui/model_chooser.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QPushButton>

#include "core/io/hf_cache.h"

namespace dynamax::app {

ModelChooser::ModelChooser(const WorkspaceSnapshot& workspace, QWidget* parent)
    : QWidget(parent), combo_(new QComboBox(this)) {
  for (const WorkspaceModel& m : workspace.models)
    combo_->addItem(QString("%1  (%2, %3 blocks)").arg(QString::fromStdString(m.name), QString::fromStdString(m.architecture)).arg(m.depths),
                    QString::fromStdString(m.path));
  // Models in the local Hugging Face cache, by name; a broken snapshot stays listed so problem() can say why.
  for (const std::string& name : cached_models(hub_cache_dir())) {
    try {
      combo_->addItem(QString::fromStdString(name) + "  (Hugging Face cache)", QString::fromStdString(resolve_model_folder(name).string()));
    } catch (const std::exception&) {
      combo_->addItem(QString::fromStdString(name) + "  (Hugging Face cache, incomplete)", QString::fromStdString(name));
    }
  }
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
  if (!QFileInfo(dir).isDir()) {
    try {
      resolve_model_folder(dir.toStdString());
    } catch (const std::exception& e) {
      return QString::fromUtf8(e.what());
    }
  }
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
