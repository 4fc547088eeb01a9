#include "app/jobs/job_worker.h"

#include <exception>

namespace dynamax::app {

JobWorker::JobWorker(QObject* parent) : QObject(parent) {}

JobWorker::~JobWorker() { join(); }

void JobWorker::start() {
  if (thread_) return;
  cancel_.store(false);
  thread_ = QThread::create([this] {
    try {
      run(cancel_);
    } catch (const std::exception& e) {
      emit failed(QString::fromStdString(e.what()));
    }
    emit stopped();
  });
  thread_->setParent(this);
  thread_->start();
}

void JobWorker::cancel() { cancel_.store(true); }

bool JobWorker::is_running() const { return thread_ && thread_->isRunning(); }

void JobWorker::join() {
  cancel();
  if (thread_) thread_->wait();
}

}  // namespace dynamax::app
