#pragma once
// Recording from the window: starts a RecordWorker through the JobController (one job at a time), shows its
// progress, and tells the window when the run grows, ends or fails.
#include <QObject>
#include <QPointer>

#include "app/jobs/record_worker.h"

namespace dynamax::app {

class JobController;

class RecordController : public QObject {
  Q_OBJECT
 public:
  explicit RecordController(JobController* jobs, QObject* parent = nullptr);

  // False (and nothing starts) while another job runs.
  bool start(const RecordOptions& options);
  void cancel();
  bool is_running() const;

 signals:
  void run_grew(qint64 run_id);  // a sample was stored
  void notice(const QString& text);  // e.g. fewer samples than asked for
  void run_ended(qint64 run_id, const QString& status);
  void failed(const QString& message);

 private:
  JobController* jobs_;
  QPointer<RecordWorker> worker_;
};

}  // namespace dynamax::app
