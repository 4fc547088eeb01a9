#pragma once
// Per-policy totals of an evaluation run, read back from `generations` (so a resumed run reports all its samples).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "storage/sqlite_db.h"

namespace dynamax {

inline constexpr const char* kFirstDivergence = "first_divergence";
inline constexpr const char* kIdenticalAnswers = "identical_answers";

struct PolicySummary {
  std::string policy;
  int64_t samples = 0, tokens = 0;
  double blocks_executed = 0, blocks_full = 0, flops_executed = 0, flops_full = 0, seconds = 0;
  // Mean over the samples that have the metric (numbers and booleans). The per-sample "first_divergence" (−1 when
  // the answer is identical to the full model's) becomes two: "identical_answers", the share of identical answers,
  // and "first_divergence", the mean index of the first differing token over the other answers (absent if none).
  std::map<std::string, double> metrics;

  double blocks_saved() const { return blocks_full > 0 ? 1 - blocks_executed / blocks_full : 0; }
  double flops_saved() const { return flops_full > 0 ? 1 - flops_executed / flops_full : 0; }
  double tokens_per_second() const { return seconds > 0 ? double(tokens) / seconds : 0; }
};

// In the order the policies were first written (the full model first in an evaluate run).
std::vector<PolicySummary> summarize_generations(Database& db, int64_t run_id);

}  // namespace dynamax
