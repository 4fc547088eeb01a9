#pragma once
// Runs a recording job in its own thread for the window: progress and the result arrive as queued signals on the
// GUI thread, cancel() is safe to call from anywhere. The GUI thread never runs the engine or writes the database.
#include <QObject>
#include <QString>
#include <QThread>
#include <atomic>

#include "app/jobs/record_job.h"

namespace dynamax::app {

class RecordWorker : public QObject {
  Q_OBJECT
 public:
  explicit RecordWorker(RecordOptions options, QObject* parent = nullptr);
  ~RecordWorker() override;  // cancels and waits for the thread

  void start();
  void cancel();
  bool is_running() const;

 signals:
  void progress(qint64 run_id, qulonglong samples_done, qulonglong samples_total, qint64 tokens, double tokens_per_second,
                double eta_seconds);
  void finished(qint64 run_id, QString status);  // done | cancelled
  void failed(QString message);

 private:
  RecordOptions options_;
  std::atomic<bool> cancel_{false};
  QThread* thread_ = nullptr;
};

}  // namespace dynamax::app
