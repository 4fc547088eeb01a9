#pragma once
// What the Runs list's context menu asks for, carried out: resume an unfinished recording or evaluation, delete
// runs (after asking; the rows go in a background thread, never on the GUI thread), show a run's config.
#include <QFutureWatcher>
#include <QObject>
#include <QVector>
#include <functional>

#include "storage/run_store.h"

class QWidget;

namespace dynamax::app {

class WorkspaceController;
class JobController;

class RunActions : public QObject {
  Q_OBJECT
 public:
  // `resume_record` / `resume_evaluate` start the job that continues a run; false (reported) when they cannot.
  RunActions(QWidget* window, WorkspaceController* workspace, JobController* jobs,
             std::function<bool(const RunInfo&)> resume_record, std::function<bool(const RunInfo&)> resume_evaluate);
  ~RunActions() override;

  void resume(qint64 id);
  void remove(const QVector<qint64>& ids);  // asks first
  void show_config(qint64 id);
  bool is_busy() const { return deleting_.isRunning(); }

  // The question remove() asks; a test answers it.
  static QString delete_question(const QVector<qint64>& ids);

 signals:
  void error(const QString& message);
  void status(const QString& message);

 private:
  QWidget* window_;
  WorkspaceController* workspace_;
  JobController* jobs_;
  std::function<bool(const RunInfo&)> resume_record_, resume_evaluate_;
  QFutureWatcher<QString> deleting_;
};

}  // namespace dynamax::app
