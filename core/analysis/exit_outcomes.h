#pragma once
// What an exit at each (token, depth) of a recorded run would give — does its top-1 agree with the full model,
// is it the ground-truth next token — computed once per run, and the trade-off point of any per-token choice of
// exit depths. Shared by threshold sweeps and baselines so that all curves are measured the same way.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/analysis/compute_cost.h"
#include "core/analysis/recorded_run.h"
#include "core/analysis/tradeoff_point.h"

namespace dynamax {

// Where token accuracy is measured. Positions whose target is −1 (no next token) never count.
enum class AccuracyPositions { All, Answer };

class ExitOutcomes {
 public:
  // Throws dynamax::Error for an empty run, columns of the wrong length, or rows out of sample order.
  explicit ExitOutcomes(const RecordedRun& run, AccuracyPositions accuracy_positions = AccuracyPositions::All);

  int depths() const { return depths_; }
  bool last_block() const { return last_block_; }  // the run's exits read their token after block L
  size_t tokens() const { return positions_.size(); }
  // The exit top-1 equals the full model's. An exit at L is the full model: it always agrees, and its top-1 is
  // taken from final_top1.
  bool agrees(size_t row, int depth) const { return cells_[cell(row, depth)] & kAgrees; }
  // The exit top-1 equals the target, on a row that counts for accuracy.
  bool correct(size_t row, int depth) const { return cells_[cell(row, depth)] & kCorrect; }
  bool counts_for_accuracy(size_t row) const { return rows_[row] & kCountsForAccuracy; }
  bool is_answer(size_t row) const { return rows_[row] & kAnswer; }  // predicts a token of the reference answer
  int32_t position(size_t row) const { return positions_[row]; }
  // First row of each sample, then tokens(): sample s spans rows [starts[s], starts[s + 1]).
  const std::vector<size_t>& sample_starts() const { return sample_starts_; }
  size_t accuracy_positions() const { return accuracy_positions_; }
  size_t answer_samples() const { return answer_samples_; }  // samples with at least one answer position

  // All tokens through the full model (L blocks + one head each).
  int64_t full_model_flops(const ExitCost& cost) const;
  // A curve with this run's denominators and no points yet.
  TradeoffCurve empty_curve(std::string label, CurveKind kind) const;

 private:
  static constexpr uint8_t kAgrees = 1, kCorrect = 2;
  static constexpr uint8_t kCountsForAccuracy = 1, kAnswer = 2;
  size_t cell(size_t row, int depth) const { return row * size_t(depths_) + size_t(depth - 1); }

  int depths_ = 0;
  bool last_block_ = false;
  std::vector<uint8_t> cells_;  // [tokens × depths]: kAgrees | kCorrect
  std::vector<uint8_t> rows_;   // [tokens]: kCountsForAccuracy | kAnswer
  std::vector<int32_t> positions_;
  std::vector<size_t> sample_starts_;
  size_t accuracy_positions_ = 0, answer_samples_ = 0;
};

// Sums over tokens that a trade-off point is made of.
struct ExitTotals {
  int64_t depth_sum = 0, executed_flops = 0, agreeing = 0, correct = 0, agreeing_answer_samples = 0;
  std::vector<int64_t> exit_counts;  // [L]
};
// A point of `curve`, whose depths and denominators it uses.
TradeoffPoint tradeoff_point(const TradeoffCurve& curve, const ExitTotals& totals, int64_t full_flops,
                             double parameter);

// The point of one exit depth per row (each in 1..L), costed by `cost`.
TradeoffPoint evaluate_exits(const ExitOutcomes& outcomes, const ExitCost& cost, std::span<const int> exit_depths,
                             double parameter);

}  // namespace dynamax
