#include "app/ui/scored_classifiers.h"

namespace dynamax::app {

QStringList scored_classifiers(const std::vector<RunInfo>& runs, const QVector<qint64>& run_ids) {
  QStringList names;
  for (const RunInfo& run : runs) {
    if (!run_ids.contains(run.id) || !run.config.is_object()) continue;
    const auto flops = run.config.find("classifier_flops");
    if (flops == run.config.end() || !flops->is_object()) continue;
    for (auto it = flops->begin(); it != flops->end(); ++it) names << QString::fromStdString(it.key());
  }
  names.sort();
  names.removeDuplicates();
  return names;
}

}  // namespace dynamax::app
