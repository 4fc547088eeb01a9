#include "app/jobs/evaluate_worker.h"

#include <chrono>
#include <cmath>

namespace dynamax::app {

EvaluateWorker::EvaluateWorker(EvaluateOptions options, QObject* parent)
    : JobWorker(parent), options_(std::move(options)) {}

EvaluateWorker::~EvaluateWorker() { join(); }

void EvaluateWorker::run(const std::atomic<bool>& cancel) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  size_t first_done = SIZE_MAX;  // samples stored before this process (a resumed run) do not count for the rate
  const EvaluateResult r = run_evaluate_job(options_, cancel, [&](const EvaluateProgress& p) {
    if (first_done == SIZE_MAX) first_done = p.samples_done - 1;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const double rate = elapsed > 0 ? double(p.samples_done - first_done) / elapsed : 0;
    const double eta = rate > 0 ? double(p.samples_total - p.samples_done) / rate : NAN;
    emit progress(p.run_id, p.samples_done, p.samples_total, rate, eta);
  });
  QStringList lines;
  for (const PolicySummary& p : r.policies) lines << policy_summary_line(p);
  emit finished(r.run_id, QString::fromStdString(r.status), lines);
}

QString policy_summary_line(const PolicySummary& p) {
  QString line = QString("%1: %2 % blocks saved").arg(QString::fromStdString(p.policy)).arg(100 * p.blocks_saved(), 0, 'f', 1);
  // The consistency with the full model that the task has: per answer when generating, per token on text.
  for (const char* key : {"consistency_em", "consistency_top1"}) {
    if (auto it = p.metrics.find(key); it != p.metrics.end()) {
      line += QString(", consistency %1").arg(it->second, 0, 'f', 2);
      break;
    }
  }
  for (const char* key : {"em", "f1", "mc1", "next_token_accuracy"})
    if (auto it = p.metrics.find(key); it != p.metrics.end()) line += QString(", %1 %2").arg(key).arg(it->second, 0, 'f', 2);
  return line;
}

}  // namespace dynamax::app
