#include "app/ui/job_controller.h"

#include "views/job_progress.h"

namespace dynamax::app {

JobController::JobController(views::JobProgress* progress, QObject* parent) : QObject(parent), progress_(progress) {
  connect(progress_, &views::JobProgress::cancel_requested, this, &JobController::cancel);
}

JobController::~JobController() { cancel(); }

bool JobController::start(JobWorker* worker, const QString& what) {
  if (worker_) {
    delete worker;
    return false;
  }
  worker_ = worker;
  worker_->setParent(this);
  connect(worker_, &JobWorker::stopped, this, [this, worker] { release(worker); });
  progress_->start(what);
  worker_->start();
  emit started();
  return true;
}

void JobController::cancel() {
  if (worker_) worker_->cancel();
}

void JobController::release(const JobWorker* worker) {
  if (!runs(worker)) return;
  progress_->stop();
  worker_->deleteLater();  // its destructor joins the thread, which has returned or is about to
  worker_ = nullptr;
  emit released();
}

}  // namespace dynamax::app
