#include "app/ui/record_controller.h"

#include "app/ui/job_controller.h"
#include "views/job_progress.h"

namespace dynamax::app {

RecordController::RecordController(JobController* jobs, QObject* parent) : QObject(parent), jobs_(jobs) {}

bool RecordController::start(const RecordOptions& options) {
  if (jobs_->is_running()) return false;
  auto* worker = new RecordWorker(options);
  connect(worker, &RecordWorker::progress, this,
          [this, limit = options.limit, noted = false](qint64 run_id, qulonglong done, qulonglong total, qint64,
                                                       double tokens_per_second, double eta) mutable {
            jobs_->progress()->set_progress(qint64(done), qint64(total), tokens_per_second, eta);
            if (const std::string note = fewer_samples_note(limit, size_t(total)); !note.empty() && !noted) {
              noted = true;
              emit notice(QString("Run #%1: %2.").arg(run_id).arg(QString::fromStdString(note)));
            }
            emit run_grew(run_id);
          });
  connect(worker, &RecordWorker::finished, this, [this, worker](qint64 run_id, const QString& status) {
    jobs_->release(worker);
    emit run_ended(run_id, status);
  });
  connect(worker, &RecordWorker::failed, this, [this, worker](const QString& message) {
    jobs_->release(worker);
    emit failed(message);
  });
  worker_ = worker;
  return jobs_->start(worker, QString("Recording %1").arg(QString::fromStdString(options.model_dir.filename().string())));
}

void RecordController::cancel() {
  if (worker_) worker_->cancel();
}

bool RecordController::is_running() const { return jobs_->runs(worker_); }

}  // namespace dynamax::app
