#include "app/ui/run_actions.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "app/ui/job_controller.h"
#include "app/ui/workspace_controller.h"
#include "storage/run_store.h"
#include "storage/schema.h"

namespace dynamax::app {

static const RunInfo* find_run(const WorkspaceSnapshot& s, qint64 id) {
  for (const RunInfo& r : s.runs)
    if (r.id == id) return &r;
  return nullptr;
}

RunActions::RunActions(QWidget* window, WorkspaceController* workspace, JobController* jobs,
                       std::function<bool(const RunInfo&)> resume_record, std::function<bool(const RunInfo&)> resume_evaluate)
    : QObject(window), window_(window), workspace_(workspace), jobs_(jobs), resume_record_(std::move(resume_record)),
      resume_evaluate_(std::move(resume_evaluate)) {
  connect(&deleting_, &QFutureWatcher<QString>::finished, this, [this] {
    const QString problem = deleting_.result();
    workspace_->refresh();
    if (problem.isEmpty())
      emit status("Deleted");
    else
      emit error(problem);
  });
}

RunActions::~RunActions() { deleting_.waitForFinished(); }

void RunActions::resume(qint64 id) {
  const RunInfo* run = find_run(workspace_->snapshot(), id);
  if (!run) return;
  if (run->kind == "record")
    resume_record_(*run);
  else if (run->kind == "evaluate")
    resume_evaluate_(*run);
}

QString RunActions::delete_question(const QVector<qint64>& ids) {
  QStringList names;
  for (qint64 id : ids) names << QString("#%1").arg(id);
  return QString("Delete run%1 %2 with everything recorded in %3? This cannot be undone.")
      .arg(ids.size() == 1 ? "" : "s", names.join(", "), ids.size() == 1 ? "it" : "them");
}

void RunActions::remove(const QVector<qint64>& ids) {
  if (ids.isEmpty() || deleting_.isRunning()) return;
  if (jobs_->is_running()) {
    emit error("A job is running; cancel it or wait for it to finish before deleting runs.");
    return;
  }
  if (QMessageBox::question(window_, "Delete runs", delete_question(ids), QMessageBox::Yes | QMessageBox::No,
                            QMessageBox::No) != QMessageBox::Yes)
    return;
  const std::string path = workspace_->path().toStdString();
  deleting_.setFuture(QtConcurrent::run([path, ids]() -> QString {
    try {
      Database db(path);
      open_workspace(db);
      RunStore store(db);
      for (qint64 id : ids) store.delete_run(id);
    } catch (const std::exception& e) {
      return QString::fromStdString(e.what());
    }
    return {};
  }));
}

void RunActions::show_config(qint64 id) {
  const RunInfo* run = find_run(workspace_->snapshot(), id);
  if (!run) return;
  auto* dialog = new QDialog(window_);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(QString("Run #%1: %2 of %3").arg(id).arg(QString::fromStdString(run->kind),
                                                                  QString::fromStdString(run->model_name)));
  auto* text = new QPlainTextEdit(QString::fromStdString(run->config.dump(2)), dialog);
  text->setReadOnly(true);
  text->setObjectName("run_config");
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
  connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
  auto* layout = new QVBoxLayout(dialog);
  layout->addWidget(text);
  layout->addWidget(buttons);
  dialog->resize(560, 420);
  dialog->show();
}

}  // namespace dynamax::app
