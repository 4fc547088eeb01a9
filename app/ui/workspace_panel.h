#pragma once
// The side panel: the workspace's models, datasets, runs and exit classifiers, filled from a snapshot.
#include <QStringList>
#include <QWidget>

#include "app/ui/workspace_snapshot.h"

class QListWidget;
class QLabel;

namespace dynamax::views {
class ClassifierListPanel;
class ModelListPanel;
class RunListPanel;
}  // namespace dynamax::views

namespace dynamax::app {

class WorkspacePanel : public QWidget {
  Q_OBJECT
 public:
  explicit WorkspacePanel(QWidget* parent = nullptr);
  void set_snapshot(const WorkspaceSnapshot& snapshot);
  views::ModelListPanel* models() const { return models_; }
  views::RunListPanel* runs() const { return runs_; }
  QListWidget* datasets() const { return datasets_; }
  views::ClassifierListPanel* classifiers() const { return classifiers_; }

 private:
  QLabel* path_;
  views::ModelListPanel* models_;
  QListWidget* datasets_;
  views::RunListPanel* runs_;
  views::ClassifierListPanel* classifiers_;
  QStringList model_descriptions_;
};

}  // namespace dynamax::app
