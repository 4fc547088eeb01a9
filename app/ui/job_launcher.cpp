#include "app/ui/job_launcher.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>

#include "app/ui/evaluate_controller.h"
#include "app/ui/evaluate_dialog.h"
#include "app/ui/job_controller.h"
#include "app/ui/train_controller.h"
#include "app/ui/train_dialog.h"
#include "app/ui/workspace_controller.h"
#include "views/loss_curve_plot.h"

namespace dynamax::app {

JobLauncher::JobLauncher(QMainWindow* window, WorkspaceController* workspace, JobController* jobs)
    : QObject(window), window_(window), workspace_(workspace), jobs_(jobs), loss_curves_(new views::LossCurvePlot),
      training_dock_(new QDockWidget("Training", window)), trainer_(new TrainController(jobs, loss_curves_, this)),
      evaluator_(new EvaluateController(jobs, this)) {
  training_dock_->setObjectName("training_dock");
  training_dock_->setWidget(loss_curves_);
  // Beside the token inspector, so that the trade-off plot keeps its width.
  window->addDockWidget(Qt::BottomDockWidgetArea, training_dock_, Qt::Horizontal);
  training_dock_->hide();  // shown when a training starts

  connect(trainer_, &TrainController::started, this, [this] {
    if (training_dock_->isHidden()) window_->resizeDocks({training_dock_}, {480}, Qt::Horizontal);
    training_dock_->show();
    training_dock_->raise();
  });
  connect(trainer_, &TrainController::trained, this, [this](const TrainedClassifier& c) {
    emit workspace_changed();  // the side panel lists the new classifier
    emit status(QString("Trained %1, saved to %2").arg(c.name, c.file));
  });
  connect(trainer_, &TrainController::cancelled, this, [this] { emit status("Training cancelled"); });
  connect(trainer_, &TrainController::failed, this, [this](const QString& m) { emit error("Training failed: " + m); });
  connect(evaluator_, &EvaluateController::run_grew, this, &JobLauncher::workspace_changed);
  connect(evaluator_, &EvaluateController::run_ended, this, [this](qint64 id, const QString& s, const QStringList& policies) {
    emit workspace_changed();
    emit notice(QString("Evaluation run #%1 %2.\n%3").arg(id).arg(s, policies.join("\n")));
  });
  connect(evaluator_, &EvaluateController::failed, this, [this](const QString& m) {
    emit workspace_changed();  // the run, if it was created, now shows as failed
    emit error("Evaluation failed: " + m);
  });
}

void JobLauncher::add_actions(QMenu* run_menu) {
  run_menu->addAction("&Train exit classifiers…", QKeySequence("Ctrl+T"), this, &JobLauncher::show_train_dialog);
  run_menu->addAction("&Evaluate…", QKeySequence("Ctrl+Shift+E"), this, &JobLauncher::show_evaluate_dialog);
}

bool JobLauncher::can_start(const QString& what) {
  if (!workspace_->is_open()) {
    emit error(QString("Open a workspace before %1.").arg(what));
    return false;
  }
  if (workspace_->is_read_only()) {
    emit error(QString("The workspace is read-only: %1 would write to it.").arg(what));
    return false;
  }
  if (jobs_->is_running()) {
    emit error("Another job is running; cancel it or wait for it to finish.");
    return false;
  }
  return true;
}

bool JobLauncher::train(TrainExitsOptions options) {
  if (!can_start("training")) return false;
  options.db_path = workspace_->path().toStdString();  // the workspace always keeps what was trained
  return trainer_->start(options);
}

bool JobLauncher::evaluate(EvaluateOptions options) {
  if (!can_start("evaluating")) return false;
  options.db_path = workspace_->path().toStdString();
  return evaluator_->start(options);
}

void JobLauncher::show_train_dialog() {
  if (!can_start("training")) return;
  TrainDialog dialog(workspace_->snapshot(), window_);
  if (dialog.exec() == QDialog::Accepted) train(dialog.options());
}

void JobLauncher::show_evaluate_dialog() {
  if (!can_start("evaluating")) return;
  EvaluateDialog dialog(workspace_->snapshot(), window_);
  if (dialog.exec() == QDialog::Accepted) evaluate(dialog.options());
}

}  // namespace dynamax::app
