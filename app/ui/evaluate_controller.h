#pragma once
// Evaluation from the window: starts an EvaluateWorker through the JobController (one job at a time), shows
// samples/s and ETA, and tells the window when the run grows, ends (with one summary line per policy) or fails.
#include <QObject>
#include <QPointer>

#include "app/jobs/evaluate_worker.h"

namespace dynamax::app {

class JobController;

class EvaluateController : public QObject {
  Q_OBJECT
 public:
  explicit EvaluateController(JobController* jobs, QObject* parent = nullptr);

  // False (and nothing starts) while another job runs.
  bool start(const EvaluateOptions& options);
  void cancel();
  bool is_running() const;

 signals:
  void run_grew(qint64 run_id);  // a sample was answered by every policy and stored
  void run_ended(qint64 run_id, const QString& status, const QStringList& policies);
  void failed(const QString& message);

 private:
  JobController* jobs_;
  QPointer<EvaluateWorker> worker_;
};

}  // namespace dynamax::app
