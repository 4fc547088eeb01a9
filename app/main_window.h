#pragma once
// The workbench's main window. For now: the workspace's models and their descriptions.
#include <QMainWindow>

namespace dynamax::views {
class ModelListPanel;
}

namespace dynamax::app {

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  // Loads the summaries of the demo models (reads config and maps weights: quick).
  void open_demo_workspace();
  views::ModelListPanel* model_panel() const { return models_; }

 private:
  views::ModelListPanel* models_;
};

}  // namespace dynamax::app
