#pragma once
// The thread of one background job for the window: run() executes the job synchronously in its own thread,
// cancel() is safe to call from anywhere, and signals emitted from run() reach receivers on the GUI thread as
// queued calls. The GUI thread never runs the engine or writes the database. Subclasses add the job's own signals;
// because run() uses the subclass, each subclass's destructor calls join() before its members go away.
#include <QObject>
#include <QString>
#include <QThread>
#include <atomic>

namespace dynamax::app {

class JobWorker : public QObject {
  Q_OBJECT
 public:
  explicit JobWorker(QObject* parent = nullptr);
  ~JobWorker() override;

  void start();
  void cancel();
  bool is_running() const;

 signals:
  void failed(QString message);
  void stopped();  // the last signal of a job, after its result or failure

 protected:
  // The job itself: throws dynamax::Error (or any std::exception) for failure; reports cancellation as it chooses.
  virtual void run(const std::atomic<bool>& cancel) = 0;
  // Cancels and waits for the thread.
  void join();

 private:
  std::atomic<bool> cancel_{false};
  QThread* thread_ = nullptr;
};

}  // namespace dynamax::app
