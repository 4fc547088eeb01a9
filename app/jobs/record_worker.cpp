#include "app/jobs/record_worker.h"

#include "core/common/error.h"

namespace dynamax::app {

RecordWorker::RecordWorker(RecordOptions options, QObject* parent) : QObject(parent), options_(std::move(options)) {}

RecordWorker::~RecordWorker() {
  cancel();
  if (thread_) thread_->wait();
}

void RecordWorker::start() {
  if (thread_) return;
  cancel_.store(false);
  // Signals emitted from the worker thread reach receivers on the GUI thread as queued calls.
  thread_ = QThread::create([this] {
    try {
      const RecordResult r = run_record_job(options_, cancel_, [this](const RecordProgress& p) {
        emit progress(p.run_id, p.samples_done, p.samples_total, p.tokens_done, p.tokens_per_second, p.eta_seconds);
      });
      emit finished(r.run_id, QString::fromStdString(r.status));
    } catch (const std::exception& e) {
      emit failed(QString::fromStdString(e.what()));
    }
  });
  thread_->setParent(this);
  thread_->start();
}

void RecordWorker::cancel() { cancel_.store(true); }

bool RecordWorker::is_running() const { return thread_ && thread_->isRunning(); }

}  // namespace dynamax::app
