#include "app/ui/workspace_controller.h"

#include <QDir>
#include <QStandardPaths>
#include <QtConcurrent>

namespace dynamax::app {

WorkspaceController::WorkspaceController(QObject* parent)
    : QObject(parent), snapshot_(std::make_shared<WorkspaceSnapshot>()) {
  connect(&watcher_, &QFutureWatcher<ReadResult>::finished, this, &WorkspaceController::read_finished);
}

WorkspaceController::~WorkspaceController() { watcher_.waitForFinished(); }

QString WorkspaceController::default_path() {
  return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)).filePath("dynamax/workspace.db");
}

void WorkspaceController::open(const QString& path) {
  opening_ = path;
  if (watcher_.isRunning()) {
    pending_ = true;  // read_finished() starts the open once the current read is done
    return;
  }
  start_read();
}

void WorkspaceController::refresh() {
  if (!open_ && opening_.isEmpty()) return;
  if (watcher_.isRunning()) {
    pending_ = true;
    return;
  }
  start_read();
}

// An open under way is read (and prepared) first; else the open workspace is re-read.
void WorkspaceController::start_read() {
  const bool opening = !opening_.isEmpty();
  const QString path = opening ? opening_ : path_;
  const bool known_read_only = read_only_;
  reading_ = true;
  watcher_.setFuture(QtConcurrent::run([path, opening, known_read_only]() -> ReadResult {
    ReadResult r{path, opening, known_read_only, nullptr, {}};
    try {
      if (opening) r.read_only = prepare_workspace(path.toStdString());
      r.snapshot = std::make_shared<const WorkspaceSnapshot>(read_workspace(path.toStdString()));
    } catch (const std::exception& e) {
      r.error = QString::fromStdString(e.what());
    }
    return r;
  }));
}

void WorkspaceController::read_finished() {
  const ReadResult result = watcher_.result();
  reading_ = false;
  const bool stale = std::exchange(pending_, false);
  if (result.opening && result.path == opening_) {
    opening_.clear();
    if (!result.error.isEmpty()) {
      emit failed(QString("Could not open workspace %1: %2").arg(result.path, result.error));
      emit open_failed(result.path, result.error);
    } else {
      path_ = result.path;
      open_ = true;
      read_only_ = result.read_only;
      snapshot_ = result.snapshot;
      emit opened(path_);
      emit snapshot_changed();
    }
  } else if (!result.opening && open_ && result.path == path_) {
    if (!result.error.isEmpty())
      emit failed(QString("Workspace %1: %2").arg(path_, result.error));
    else {
      snapshot_ = result.snapshot;
      emit snapshot_changed();
    }
  }
  if (stale || !opening_.isEmpty()) start_read();
}

}  // namespace dynamax::app
