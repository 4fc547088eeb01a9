#pragma once
// Loads a recorded run into memory as columnar arrays (one load per run; analyses then run on the arrays).
#include <cstdint>

#include "core/analysis/recorded_run.h"
#include "storage/sqlite_db.h"

namespace dynamax {

// Throws dynamax::Error when the run does not exist or its (token, depth) rows are incomplete.
RecordedRun load_recorded_run(Database& db, int64_t run_id);

}  // namespace dynamax
