#include "app/ui/run_importer.h"

#include <QtConcurrent>

#include "storage/workspace_merge.h"

namespace dynamax::app {

RunImporter::RunImporter(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcher<Outcome>::finished, this, [this] {
    const Outcome outcome = watcher_.result();
    importing_ = false;
    if (outcome.error.isEmpty()) emit imported(outcome.summary);
    else emit failed(outcome.error);
  });
}

RunImporter::~RunImporter() { watcher_.waitForFinished(); }

bool RunImporter::start(const QString& workspace, const QStringList& files) {
  if (importing_) return false;
  importing_ = true;
  std::vector<std::filesystem::path> inputs;
  for (const QString& file : files) inputs.emplace_back(file.toStdString());
  const std::filesystem::path into = workspace.toStdString();
  watcher_.setFuture(QtConcurrent::run([into, inputs]() -> Outcome {
    try {
      const MergeReport r = merge_workspaces(into, inputs);
      return {QString("Imported %1 runs and %2 runs joined from %3 shards (%4 classifiers)")
                  .arg(r.runs_copied).arg(r.shard_runs_joined).arg(r.shards).arg(r.classifiers_copied),
              {}};
    } catch (const std::exception& e) {
      return {{}, QString("Import failed: ") + e.what()};
    }
  }));
  return true;
}

}  // namespace dynamax::app
