#pragma once
// A recorded run ready for analysis: its columns, its model's config and a name for legends and tables.
#include <cstdint>
#include <string>

#include "core/analysis/recorded_run.h"
#include "core/io/model_config.h"
#include "storage/run_store.h"
#include "storage/sqlite_db.h"

namespace dynamax::app {

struct LoadedRun {
  RunInfo info;
  ModelConfig config;
  RecordedRun run;
  std::string name;  // "tiny-mistral · wikitext2_test #3": model · dataset #run
};

// A dataset spec's file stem, "text:/data/wikitext2_test.txt#window=64" → "wikitext2_test".
std::string dataset_short_name(const std::string& spec);

// Throws dynamax::Error when the run does not exist, is not a recording, or has no samples yet.
LoadedRun load_run(Database& db, int64_t run_id);

}  // namespace dynamax::app
