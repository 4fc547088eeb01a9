#include "app/jobs/train_exits_worker.h"

#include <chrono>
#include <cmath>

#include "core/models/model.h"

namespace dynamax::app {

namespace {

using Clock = std::chrono::steady_clock;

// Rate and remaining time of a stage from its start; 0 / NaN until something is done.
struct StageClock {
  std::string stage;
  Clock::time_point start = Clock::now();

  std::pair<double, double> rate_and_eta(size_t done, size_t total) const {
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (done == 0 || elapsed <= 0) return {0, NAN};
    return {double(done) / elapsed, elapsed / double(done) * double(total - done)};
  }
};

}  // namespace

TrainExitsWorker::TrainExitsWorker(TrainExitsOptions options, QObject* parent)
    : JobWorker(parent), options_(std::move(options)) {
  qRegisterMetaType<TrainedClassifier>();
}

TrainExitsWorker::~TrainExitsWorker() { join(); }

void TrainExitsWorker::run(const std::atomic<bool>& cancel) {
  StageClock clock;
  TrainExitsResult r;
  try {
    r = run_train_exits_job(options_, cancel, [&](const TrainExitsProgress& p) {
      if (p.stage != clock.stage) clock = {p.stage, Clock::now()};
      const auto [rate, eta] = clock.rate_and_eta(p.done, p.total);
      if (p.epoch)
        emit epoch(p.epoch->epoch, p.epoch->epochs, p.epoch->train_loss, p.epoch->valid_loss, eta);
      else
        emit features(p.done, p.total, rate, eta);
    });
  } catch (const Cancelled&) {
    emit finished("cancelled", {});
    return;
  }
  TrainedClassifier c{QString::fromStdString(r.classifier->name()), QString::fromStdString(options_.out.string()),
                      r.report.best_epoch, {}};
  for (const ExitMetrics& m : r.report.validation) c.exits.push_back({m.depth, m.auroc, m.auroc_se});
  emit finished("done", c);
}

}  // namespace dynamax::app
