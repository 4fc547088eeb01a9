#pragma once
// The model of a job: one of the workspace's models, a model of the local Hugging Face cache, or any folder in
// Hugging Face layout (Folder…).
#include <QWidget>
#include <optional>

#include "app/ui/workspace_snapshot.h"
#include "core/io/model_config.h"

class QComboBox;

namespace dynamax::app {

class ModelChooser : public QWidget {
  Q_OBJECT
 public:
  explicit ModelChooser(const WorkspaceSnapshot& workspace, QWidget* parent = nullptr);

  void set_folder(const QString& folder);  // selects it, adding it when it is not a workspace model
  QString folder() const;
  // Empty when the folder holds a model (a config.json), else what is wrong.
  QString problem() const;
  // The folder's config.json (a small file, read here); none when it is missing or invalid.
  std::optional<ModelConfig> config() const;

 signals:
  void changed(const QString& folder);

 private:
  QComboBox* combo_;
};

}  // namespace dynamax::app
