#pragma once
// Run → Train exit classifiers… and Run → Evaluate…: their dialogs and controllers, and the Training dock where a
// training's loss curves stream in. Tells the window when the workspace changed and what to say; the window
// keeps only the wiring (it is edited by many hands).
#include <QObject>

#include "app/jobs/evaluate_job.h"
#include "app/jobs/train_exits_job.h"

class QDockWidget;
class QMainWindow;
class QMenu;

namespace dynamax::views {
class LossCurvePlot;
}

namespace dynamax::app {

class EvaluateController;
class JobController;
class TrainController;
class WorkspaceController;

class JobLauncher : public QObject {
  Q_OBJECT
 public:
  JobLauncher(QMainWindow* window, WorkspaceController* workspace, JobController* jobs);

  void add_actions(QMenu* run_menu);
  // Start a job into the open workspace (what the dialogs do when accepted); false, with a message, when it cannot.
  bool train(TrainExitsOptions options);
  bool evaluate(EvaluateOptions options);
  void show_train_dialog();
  void show_evaluate_dialog();

  TrainController* trainer() const { return trainer_; }
  EvaluateController* evaluator() const { return evaluator_; }
  views::LossCurvePlot* loss_curves() const { return loss_curves_; }
  QDockWidget* training_dock() const { return training_dock_; }

 signals:
  void workspace_changed();
  void notice(const QString& text);  // worth a banner: the evaluation's summary
  void status(const QString& text);  // a passing status-bar message
  void error(const QString& text);

 private:
  bool can_start(const QString& what);

  QMainWindow* window_;
  WorkspaceController* workspace_;
  JobController* jobs_;
  views::LossCurvePlot* loss_curves_;
  QDockWidget* training_dock_;
  TrainController* trainer_;
  EvaluateController* evaluator_;
};

}  // namespace dynamax::app
