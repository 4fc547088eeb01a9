#pragma once
// Training exit classifiers from the window: starts a TrainExitsWorker through the JobController (one job at a
// time), shows feature extraction and epochs in the status bar, streams each epoch's losses into the loss-curve
// view and shows the validation AUROC per exit depth there at the end.
#include <QObject>
#include <QPointer>

#include "app/jobs/train_exits_worker.h"

namespace dynamax::views {
class LossCurvePlot;
}

namespace dynamax::app {

class JobController;

class TrainController : public QObject {
  Q_OBJECT
 public:
  TrainController(JobController* jobs, views::LossCurvePlot* plot, QObject* parent = nullptr);

  // False (and nothing starts) while another job runs.
  bool start(const TrainExitsOptions& options);
  void cancel();
  bool is_running() const;

 signals:
  void started();
  void trained(const dynamax::app::TrainedClassifier& classifier);  // written to its file and the workspace
  void cancelled();
  void failed(const QString& message);

 private:
  JobController* jobs_;
  views::LossCurvePlot* plot_;
  QPointer<TrainExitsWorker> worker_;
};

}  // namespace dynamax::app
