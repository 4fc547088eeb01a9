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
  path_ = path;
  open_ = false;
  opening_ = true;
  if (watcher_.isRunning()) {
    pending_ = true;  // read_finished() starts the open once the current read is done
    return;
  }
  start_read(true);
}

void WorkspaceController::refresh() {
  if (!open_ && !opening_) return;
  if (watcher_.isRunning()) {
    pending_ = true;
    return;
  }
  start_read(opening_);
}

void WorkspaceController::start_read(bool prepare) {
  const std::filesystem::path path = path_.toStdString();
  reading_ = true;
  watcher_.setFuture(QtConcurrent::run([path, prepare]() -> ReadResult {
    try {
      if (prepare) prepare_workspace(path);
      return {std::make_shared<const WorkspaceSnapshot>(read_workspace(path)), {}};
    } catch (const std::exception& e) {
      return {nullptr, QString::fromStdString(e.what())};
    }
  }));
}

void WorkspaceController::read_finished() {
  const ReadResult result = watcher_.result();
  reading_ = false;
  const bool stale = pending_;
  pending_ = false;
  if (!result.error.isEmpty()) {
    opening_ = false;
    emit failed(QString("Workspace %1: %2").arg(path_, result.error));
  } else if (QString::fromStdString(result.snapshot->path.string()) == path_) {
    snapshot_ = result.snapshot;
    if (opening_) {
      opening_ = false;
      open_ = true;
      emit opened(path_);
    }
    emit snapshot_changed();
  }
  if (stale && (open_ || opening_)) start_read(opening_);
}

}  // namespace dynamax::app
