#pragma once
// Runs a recording job in its own thread for the window (see JobWorker): progress per stored sample, then the
// run's end state.
#include "app/jobs/job_worker.h"
#include "app/jobs/record_job.h"

namespace dynamax::app {

class RecordWorker : public JobWorker {
  Q_OBJECT
 public:
  explicit RecordWorker(RecordOptions options, QObject* parent = nullptr);
  ~RecordWorker() override;  // cancels and waits for the thread

 signals:
  void progress(qint64 run_id, qulonglong samples_done, qulonglong samples_total, qint64 tokens, double tokens_per_second,
                double eta_seconds);
  void finished(qint64 run_id, QString status);  // done | cancelled

 protected:
  void run(const std::atomic<bool>& cancel) override;

 private:
  RecordOptions options_;
};

}  // namespace dynamax::app
