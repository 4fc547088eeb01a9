#pragma once
// One recording at a time from the window: starts the RecordWorker (its own thread), shows its progress and
// cancel in the status bar's JobProgress, and tells the window when the run grows, ends or fails.
#include <QObject>
#include <QPointer>

#include "app/jobs/record_worker.h"

namespace dynamax::views {
class JobProgress;
}

namespace dynamax::app {

class RecordController : public QObject {
  Q_OBJECT
 public:
  explicit RecordController(views::JobProgress* progress, QObject* parent = nullptr);

  // False (and nothing starts) while another recording runs.
  bool start(const RecordOptions& options);
  void cancel();
  bool is_running() const { return worker_ != nullptr; }

 signals:
  void run_grew(qint64 run_id);  // a sample was stored
  void run_ended(qint64 run_id, const QString& status);
  void failed(const QString& message);

 private:
  void finish();

  views::JobProgress* progress_;
  QPointer<RecordWorker> worker_;
};

}  // namespace dynamax::app
