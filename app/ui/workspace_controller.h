#pragma once
// The open workspace: opens (creates, migrates, seeds the demo) and re-reads it in the background, and hands the
// GUI thread finished snapshots. Refreshes requested while one is being read are merged into one more read.
// Opening another workspace changes nothing until it has been read: a failed open leaves the previous one in place.
// A read-only workspace (read-only media, or a file nobody may write) opens for viewing only.
#include <QFutureWatcher>
#include <QObject>
#include <memory>

#include "app/ui/workspace_snapshot.h"

namespace dynamax::app {

class WorkspaceController : public QObject {
  Q_OBJECT
 public:
  explicit WorkspaceController(QObject* parent = nullptr);
  ~WorkspaceController() override;

  void open(const QString& path);
  void refresh();
  QString path() const { return path_; }
  bool is_open() const { return open_; }
  bool is_read_only() const { return read_only_; }
  QString opening_path() const { return opening_; }  // empty when no open is under way
  bool is_busy() const { return reading_; }
  const WorkspaceSnapshot& snapshot() const { return *snapshot_; }

  static QString default_path();  // ~/.local/share/dynamax/workspace.db

 signals:
  void opened(const QString& path);
  void snapshot_changed();
  void failed(const QString& message);
  void open_failed(const QString& path, const QString& message);  // after failed(); the previous workspace stays

 private:
  void start_read();
  void read_finished();

  struct ReadResult {
    QString path;
    bool opening = false, read_only = false;
    std::shared_ptr<const WorkspaceSnapshot> snapshot;
    QString error;
  };
  QFutureWatcher<ReadResult> watcher_;
  QString path_, opening_;
  bool open_ = false, read_only_ = false, pending_ = false;
  bool reading_ = false;  // until its snapshot is handed over: the future ends earlier, in the reading thread
  std::shared_ptr<const WorkspaceSnapshot> snapshot_;
};

}  // namespace dynamax::app
