#include "app/main_window.h"

#include <QApplication>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

#include "app/demo_paths.h"
#include "app/main_window_launcher.h"
#include "app/openblas_core.h"
#include "core/common/error.h"
#include "core/io/model_summary.h"
#include "views/model_list_panel.h"

namespace dynamax::app {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), models_(new views::ModelListPanel(this)) {
  setWindowTitle("DYNAMAX Workbench");
  setCentralWidget(models_);
  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);
  statusBar()->showMessage(QString("OpenBLAS core: %1").arg(openblas_core_name()));
  resize(1000, 620);
}

void MainWindow::open_demo_workspace() {
  QVector<views::ModelEntry> entries;
  try {
    for (const auto& folder : demo_model_folders()) {
      const ModelSummary summary = summarize_model_folder(folder);
      entries.push_back({QString::fromStdString(folder.filename().string()),
                         QString::fromStdString(summary_to_text(summary))});
    }
  } catch (const Error& e) {
    QMessageBox::warning(this, "Demo workspace", QString::fromStdString(e.what()));
  }
  models_->set_models(entries);
}

int launch_main_window(const std::string& screenshot_png) {
  static int argc = 1;
  static char name[] = "dynamax";
  static char* argv[] = {name, nullptr};
  QApplication app(argc, argv);
  MainWindow window;
  window.open_demo_workspace();
  window.show();
  if (!screenshot_png.empty()) {
    QApplication::processEvents();
    if (!window.grab().save(QString::fromStdString(screenshot_png))) throw Error(screenshot_png + ": cannot write the screenshot");
    return 0;
  }
  return app.exec();
}

}  // namespace dynamax::app
