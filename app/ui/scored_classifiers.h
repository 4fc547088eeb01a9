#pragma once
// Which exit classifiers a window can tune as measures: those whose scores the checked recordings stored
// (`record --classifiers`; the names are the keys of the run config's `classifier_flops`).
#include <QStringList>
#include <QVector>
#include <vector>

#include "storage/run_store.h"

namespace dynamax::app {

// Sorted, without repeats; runs whose config lists none (or is malformed) add nothing.
QStringList scored_classifiers(const std::vector<RunInfo>& runs, const QVector<qint64>& run_ids);

}  // namespace dynamax::app
