#pragma once
// Reads back what `dynamax evaluate` generated (`generations` and `generation_steps`): per sample, every policy's
// answer with the depth each of its tokens exited at.
#include <cstdint>
#include <string>
#include <vector>

#include "storage/sqlite_db.h"

namespace dynamax {

struct StoredStep {
  int32_t token_id = 0;
  int exit_depth = 0;
  float score = 0;  // NaN where no measure was evaluated (the full model, the first token)
  double extra_blocks = 0;
};

struct StoredGeneration {
  int64_t sample_index = 0;
  std::string policy;  // "full" or the policy's label, e.g. "max-prob@0.9"
  std::string output_text;
  std::vector<StoredStep> steps;  // in generation order; empty for teacher-forced tasks
  double blocks_executed = 0, blocks_full = 0;
  std::string metrics_json;  // the task's metrics and the consistency with the full answer

  double blocks_saved() const { return blocks_full > 0 ? 1 - blocks_executed / blocks_full : 0; }
};

// The sample indices that have generations, ascending.
std::vector<int64_t> generation_sample_indices(Database& db, int64_t run_id);

// The generations of one sample in the order they were written (the full model first in an evaluate run). Throws
// dynamax::Error naming the row for a token id or exit depth out of range.
std::vector<StoredGeneration> load_sample_generations(Database& db, int64_t run_id, int64_t sample_index);

// The prompt the sample's answers continue (empty when the sample row is missing).
std::string sample_prompt(Database& db, int64_t run_id, int64_t sample_index);

}  // namespace dynamax
