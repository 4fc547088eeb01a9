#include "app/jobs/record_worker.h"

namespace dynamax::app {

RecordWorker::RecordWorker(RecordOptions options, QObject* parent) : JobWorker(parent), options_(std::move(options)) {}

RecordWorker::~RecordWorker() { join(); }

void RecordWorker::run(const std::atomic<bool>& cancel) {
  const RecordResult r = run_record_job(options_, cancel, [this](const RecordProgress& p) {
    emit progress(p.run_id, p.samples_done, p.samples_total, p.tokens_done, p.tokens_per_second, p.eta_seconds);
  });
  emit finished(r.run_id, QString::fromStdString(r.status));
}

}  // namespace dynamax::app
