#include "app/ui/record_controller.h"

#include "views/job_progress.h"

namespace dynamax::app {

RecordController::RecordController(views::JobProgress* progress, QObject* parent)
    : QObject(parent), progress_(progress) {
  connect(progress_, &views::JobProgress::cancel_requested, this, &RecordController::cancel);
}

bool RecordController::start(const RecordOptions& options) {
  if (worker_) return false;
  worker_ = new RecordWorker(options, this);
  connect(worker_, &RecordWorker::progress, this,
          [this](qint64 run_id, qulonglong done, qulonglong total, qint64, double tokens_per_second, double eta) {
            progress_->set_progress(qint64(done), qint64(total), tokens_per_second, eta);
            emit run_grew(run_id);
          });
  connect(worker_, &RecordWorker::finished, this, [this](qint64 run_id, const QString& status) {
    finish();
    emit run_ended(run_id, status);
  });
  connect(worker_, &RecordWorker::failed, this, [this](const QString& message) {
    finish();
    emit failed(message);
  });
  progress_->start(QString("Recording %1").arg(QString::fromStdString(options.model_dir.filename().string())));
  worker_->start();
  return true;
}

void RecordController::cancel() {
  if (worker_) worker_->cancel();
}

void RecordController::finish() {
  progress_->stop();
  worker_->deleteLater();  // its destructor joins the thread, which has returned by now
  worker_ = nullptr;
}

}  // namespace dynamax::app
