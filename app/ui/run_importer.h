#pragma once
// File → Import runs…: merges other workspaces' runs (shards joined) into the open workspace off the GUI thread,
// with storage's merge_workspaces, then tells the window to re-read the workspace.
#include <QFutureWatcher>
#include <QObject>
#include <QStringList>

namespace dynamax::app {

class RunImporter : public QObject {
  Q_OBJECT
 public:
  explicit RunImporter(QObject* parent = nullptr);
  ~RunImporter() override;

  // False while an import is running.
  bool start(const QString& workspace, const QStringList& files);
  bool is_busy() const { return importing_; }

 signals:
  void imported(const QString& summary);
  void failed(const QString& message);

 private:
  struct Outcome {
    QString summary, error;
  };
  QFutureWatcher<Outcome> watcher_;
  bool importing_ = false;  // until the outcome is announced (the future ends before that)
};

}  // namespace dynamax::app
