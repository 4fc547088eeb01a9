#pragma once
// Threshold sweeps: for a confidence score, allowed depths and any number of thresholds τ, the trade-off point of
// "exit at the first allowed depth whose score ≥ τ, else at L".
//
// Built once per (run, measure, depths, cost), it keeps per token only the depths where its running maximum score
// rises (a "staircase"): as τ rises the token's exit depth moves along those steps and nowhere else. One τ walks
// each token's steps until one passes: O(steps walked). A curve of n thresholds places every step on the sorted
// thresholds with a binary search and adds its change of depth, FLOPs, agreement and accuracy to difference
// arrays: O(steps × log n + n × L). Steps per token are 1 + the number of rises of the running maximum over the
// decision depths: about ln(depths) for pure noise, more when confidence climbs steadily with depth.
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

  // One threshold: what a slider shows (one thread; about 1 ms per million (token, depth) records).
  TradeoffPoint at(double threshold) const;
  // Any number of thresholds (not NaN; −∞ and +∞ allowed), returned in ascending τ. `threads` = 0 uses every
  // hardware thread on large runs.
  TradeoffCurve curve(std::span<const double> thresholds, int threads = 0) const;
  // The exit depth of one token (row) at τ, e.g. for a heatmap's exit boundary.
  int exit_depth(size_t row, double threshold) const;
  // Staircase steps over all tokens (incl. each token's final step at L): what a curve's cost grows with.
  size_t step_count() const { return step_scores_.size(); }

 private:
  // A step of a token's staircase: where it exits for thresholds in (previous step's score, this step's score].
  // Scores live apart from the rest so that finding the passing step reads 4 bytes a step.
  struct StepExit {
    uint16_t depth;
    uint8_t agrees, correct;
  };
  struct Accumulators;

  size_t passing_step(size_t row, double threshold) const;  // the first step whose score ≥ threshold
  void accumulate(size_t first_sample, size_t end_sample, std::span<const double> thresholds, Accumulators& acc) const;

  int depths_;
  std::vector<float> step_scores_;            // the running maximum reached at each step, rising within a token
  std::vector<StepExit> step_exits_;
  std::vector<size_t> step_begin_;            // [tokens + 1]: token row's steps are [step_begin_[row], [row + 1])
  std::vector<int64_t> token_positions_;      // [tokens]: the position whose blocks the token runs
  std::vector<int64_t> overhead_flops_;       // [L + 1] by depth: heads and classifiers paid
  std::vector<uint8_t> is_answer_;            // [tokens]
  std::vector<size_t> sample_starts_;
  std::vector<uint8_t> answer_sample_;        // [samples]: has an answer position
  int64_t full_flops_;
  ExitCost cost_;         // a token's blocks at its position and exit depth (windows may differ by layer)
  TradeoffCurve header_;  // label and denominators, no points
};

// `count` thresholds at evenly spaced quantiles of the scores at the policy's decision depths (each one an actual
// score, so a point sits exactly where a token changes depth), plus −∞ (every token at its shallowest allowed
// depth) and +∞ (the full model); ascending and unique. Large runs are subsampled evenly to ~1 M scores.
std::vector<double> quantile_thresholds(std::span<const float> scores, const ExitPolicy& policy, int count);

}  // namespace dynamax
