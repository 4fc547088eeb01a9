#pragma once
// Runs an evaluation (early-exit generation on a task) in its own thread for the window (see JobWorker):
// progress per finished sample, then one summary line per policy.
#include <QStringList>

#include "app/jobs/evaluate_job.h"
#include "app/jobs/job_worker.h"

namespace dynamax::app {

class EvaluateWorker : public JobWorker {
  Q_OBJECT
 public:
  explicit EvaluateWorker(EvaluateOptions options, QObject* parent = nullptr);
  ~EvaluateWorker() override;  // cancels and waits for the thread

 signals:
  void progress(qint64 run_id, qulonglong samples_done, qulonglong samples_total, double samples_per_second,
                double eta_seconds);
  // done | cancelled; per policy "max-prob@0.9: 31.2 % blocks saved, consistency 0.88, em 0.50"
  void finished(qint64 run_id, QString status, QStringList policies);

 protected:
  void run(const std::atomic<bool>& cancel) override;

 private:
  EvaluateOptions options_;
};

// One line of the end-of-run message for a policy's totals.
QString policy_summary_line(const PolicySummary& policy);

}  // namespace dynamax::app
