#pragma once
// Threshold sweeps: for a confidence score, allowed depths and any number of thresholds τ, the trade-off point of
// "exit at the first allowed depth whose score ≥ τ, else at L".
//
// Built once per (run, measure, depths, cost), it keeps per token only the depths where its running maximum score
// rises (a "staircase"): as τ rises the token's exit depth moves along those steps and nowhere else. One τ walks
// each token's steps until one passes; a curve of n thresholds places every step on the sorted thresholds with
// a binary search and adds its change of depth, FLOPs, agreement and accuracy to difference arrays. Cost:
// O(steps × log n + n × L), steps ≤ tokens × allowed depths (a few per token for noisy scores).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/analysis/compute_cost.h"
#include "core/analysis/exit_outcomes.h"
#include "core/analysis/exit_policy.h"
#include "core/analysis/tradeoff_point.h"

namespace dynamax {

class ThresholdSweep {
 public:
  // `scores`: [tokens × depths] in the run's cell order, higher = more confident, no NaN (confidence_scores()
  // maps NaN to −∞). `label` names the curve, usually the measure. Throws dynamax::Error on mismatched sizes.
  ThresholdSweep(const ExitOutcomes& outcomes, std::span<const float> scores, const ExitPolicy& policy,
                 const ExitCost& cost, std::string label);

  // One threshold: what a slider shows.
  TradeoffPoint at(double threshold) const;
  // Any number of thresholds (not NaN; −∞ and +∞ allowed), returned in ascending τ. `threads` = 0 uses every
  // hardware thread on large runs.
  TradeoffCurve curve(std::span<const double> thresholds, int threads = 0) const;
  // The exit depth of one token (row) at τ, e.g. for a heatmap's exit boundary.
  int exit_depth(size_t row, double threshold) const;

 private:
  struct Step {
    float score;     // the running maximum reached here; thresholds ≤ score exit here or earlier
    uint16_t depth;  // where the token exits for thresholds in (previous step's score, score]
    uint8_t agrees, correct;
  };
  struct Accumulators;

  void accumulate(size_t first_sample, size_t end_sample, std::span<const double> thresholds, Accumulators& acc) const;

  int depths_;
  std::vector<Step> steps_;
  std::vector<size_t> step_begin_;            // [tokens + 1]: token row's steps are [step_begin_[row], [row + 1])
  std::vector<int64_t> token_block_flops_;    // [tokens]: one block at the token's position
  std::vector<int64_t> overhead_flops_;       // [L + 1] by depth: heads and classifiers paid
  std::vector<uint8_t> is_answer_;            // [tokens]
  std::vector<size_t> sample_starts_;
  int64_t full_flops_;
  TradeoffCurve header_;  // label and denominators, no points
};

// `count` thresholds at evenly spaced quantiles of the scores at the policy's decision depths (each one an actual
// score, so a point sits exactly where a token changes depth), plus −∞ (every token at its shallowest allowed
// depth) and +∞ (the full model); ascending and unique. Large runs are subsampled evenly to ~1 M scores.
std::vector<double> quantile_thresholds(std::span<const float> scores, const ExitPolicy& policy, int count);

}  // namespace dynamax
