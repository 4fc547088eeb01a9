#pragma once
// One background job at a time from the window, whatever its kind (record, train, evaluate): owns its worker,
// shows it in the status bar's JobProgress with its cancel button, and lets it go with its result. The
// kind's controller starts its worker here and turns the worker's signals into progress and results.
#include <QObject>
#include <QPointer>

#include "app/jobs/job_worker.h"

namespace dynamax::views {
class JobProgress;
}

namespace dynamax::app {

class JobController : public QObject {
  Q_OBJECT
 public:
  explicit JobController(views::JobProgress* progress, QObject* parent = nullptr);
  ~JobController() override;  // cancels the job; the worker's destructor joins its thread

  // Takes `worker` and starts it; false (and the worker is deleted) while another job runs.
  bool start(JobWorker* worker, const QString& what);
  void cancel();
  bool is_running() const { return worker_ != nullptr; }
  bool runs(const JobWorker* worker) const { return worker && worker == worker_; }
  views::JobProgress* progress() const { return progress_; }
  // Frees the slot when `worker` holds it. Kinds call it before announcing a result, so that a receiver can start
  // the next job at once; otherwise it happens when the worker stops.
  void release(const JobWorker* worker);

 signals:
  void started();  // a new job: earlier errors are stale
  void released();

 private:
  views::JobProgress* progress_;
  QPointer<JobWorker> worker_;
};

}  // namespace dynamax::app
