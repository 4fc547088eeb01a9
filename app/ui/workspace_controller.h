#pragma once
// The open workspace: opens (creates, migrates, seeds the demo) and re-reads it in the background, and hands the
// GUI thread finished snapshots. Refreshes requested while one is being read are merged into one more read.
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
  bool is_busy() const { return reading_; }
  const WorkspaceSnapshot& snapshot() const { return *snapshot_; }

  static QString default_path();  // ~/.local/share/dynamax/workspace.db

 signals:
  void opened(const QString& path);
  void snapshot_changed();
  void failed(const QString& message);

 private:
  void start_read(bool prepare);
  void read_finished();

  struct ReadResult {
    std::shared_ptr<const WorkspaceSnapshot> snapshot;
    QString error;
  };
  QFutureWatcher<ReadResult> watcher_;
  QString path_;
  bool open_ = false, opening_ = false, pending_ = false;
  bool reading_ = false;  // until its snapshot is handed over: the future ends earlier, in the reading thread
  std::shared_ptr<const WorkspaceSnapshot> snapshot_;
};

}  // namespace dynamax::app
