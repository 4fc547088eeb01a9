#include "app/ui/evaluate_controller.h"

#include "app/ui/job_controller.h"
#include "views/job_progress.h"

namespace dynamax::app {

EvaluateController::EvaluateController(JobController* jobs, QObject* parent) : QObject(parent), jobs_(jobs) {}

bool EvaluateController::start(const EvaluateOptions& options) {
  if (jobs_->is_running()) return false;
  auto* worker = new EvaluateWorker(options);
  connect(worker, &EvaluateWorker::progress, this,
          [this](qint64 run_id, qulonglong done, qulonglong total, double samples_per_second, double eta) {
            jobs_->progress()->set_progress(qint64(done), qint64(total), samples_per_second, eta, "samples/s");
            emit run_grew(run_id);
          });
  connect(worker, &EvaluateWorker::finished, this, [this, worker](qint64 run_id, const QString& status, const QStringList& policies) {
    jobs_->release(worker);
    emit run_ended(run_id, status, policies);
  });
  connect(worker, &EvaluateWorker::failed, this, [this, worker](const QString& message) {
    jobs_->release(worker);
    emit failed(message);
  });
  worker_ = worker;
  return jobs_->start(worker, QString("Evaluating %1").arg(QString::fromStdString(options.model_dir.filename().string())));
}

void EvaluateController::cancel() {
  if (worker_) worker_->cancel();
}

bool EvaluateController::is_running() const { return jobs_->runs(worker_); }

}  // namespace dynamax::app
