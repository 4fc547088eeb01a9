#pragma once
// Writes one evaluated sample — its row in `samples` (which marks it done for a resume), and per policy one row in
// `generations` with its per-token rows in `generation_steps` — in a single transaction.
// generations.blocks_executed holds Σ exit depths + the skip strategy's extra blocks-equivalents (a REAL when
// fractional); generation_steps.extra_blocks holds each token's share of the latter.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/exits/early_exit_decoder.h"
#include "storage/sample_row.h"
#include "storage/sqlite_db.h"

namespace dynamax {

struct PolicyOutcome {
  std::string policy;  // "full", "max-prob@0.9", ...
  int prompt_tokens = 0;
  Generation generation;  // for teacher-forced kinds: no ids/tokens, only the counts and times
  nlohmann::json metrics = nlohmann::json::object();
};

class GenerationWriter {
 public:
  explicit GenerationWriter(Database& db);
  void write(int64_t run_id, const SampleText& sample, int token_count, const std::vector<PolicyOutcome>& outcomes);

 private:
  Database& db_;
  SampleRowWriter sample_row_;
  Statement insert_generation_, insert_step_;
};

}  // namespace dynamax
