#include "core/analysis/exit_outcomes.h"

#include <cmath>

#include "core/common/error.h"

namespace dynamax {

namespace {

template <class Column>
void require_length(const Column& column, size_t expected, const char* name) {
  if (column.size() != expected)
    throw Error(std::string("recorded run: column '") + name + "' has " + std::to_string(column.size()) +
                " values, expected " + std::to_string(expected));
}

double ratio(int64_t part, size_t whole) { return whole ? double(part) / double(whole) : NAN; }

}  // namespace

ExitOutcomes::ExitOutcomes(const RecordedRun& run, AccuracyPositions accuracy_positions)
    : depths_(run.depths), last_block_(run.last_block) {
  if (run.depths < 1) throw Error("recorded run: it has no depths");
  if (run.tokens == 0) throw Error("recorded run: it is empty (no tokens recorded)");
  const size_t T = run.tokens, L = size_t(run.depths);
  require_length(run.sample_index, T, "sample_index");
  require_length(run.position, T, "position");
  require_length(run.target_id, T, "target_id");
  require_length(run.final_top1, T, "final_top1");
  require_length(run.predicts_answer, T, "predicts_answer");
  require_length(run.top1, T * L, "top1");

  cells_.resize(T * L);
  rows_.resize(T);
  positions_ = run.position;
  bool sample_has_answer = false;
  for (size_t row = 0; row < T; ++row) {
    if (row == 0 || run.sample_index[row] != run.sample_index[row - 1]) {
      if (row > 0 && run.sample_index[row] < run.sample_index[row - 1])
        throw Error("recorded run: rows are not in sample order (row " + std::to_string(row) + ")");
      answer_samples_ += sample_has_answer;
      sample_has_answer = false;
      sample_starts_.push_back(row);
    }
    const int32_t target = run.target_id[row], final_top1 = run.final_top1[row];
    const bool answer = run.predicts_answer[row] != 0;
    const bool counted = target >= 0 && (accuracy_positions == AccuracyPositions::All || answer);
    rows_[row] = uint8_t((counted ? kCountsForAccuracy : 0) | (answer ? kAnswer : 0));
    accuracy_positions_ += counted;
    sample_has_answer |= answer;
    for (int d = 1; d <= run.depths; ++d) {
      const int32_t top1 = d == run.depths ? final_top1 : run.top1[run.cell(row, d)];
      cells_[cell(row, d)] = uint8_t((top1 == final_top1 ? kAgrees : 0) | (counted && top1 == target ? kCorrect : 0));
    }
  }
  answer_samples_ += sample_has_answer;
  sample_starts_.push_back(T);
}

int64_t ExitOutcomes::full_model_flops(const ExitCost& cost) const {
  int64_t total = 0;
  for (int32_t position : positions_) total += cost.full_model_flops(position);
  return total;
}

TradeoffCurve ExitOutcomes::empty_curve(std::string label, CurveKind kind) const {
  TradeoffCurve curve;
  curve.label = std::move(label);
  curve.kind = kind;
  curve.depths = depths_;
  curve.tokens = tokens();
  curve.accuracy_positions = accuracy_positions_;
  curve.answer_samples = answer_samples_;
  return curve;
}

TradeoffPoint tradeoff_point(const TradeoffCurve& curve, const ExitTotals& totals, int64_t full_flops,
                             double parameter) {
  TradeoffPoint p;
  p.parameter = parameter;
  p.mean_depth = ratio(totals.depth_sum, curve.tokens);
  const int64_t early = curve.last_block && !totals.exit_counts.empty()
                            ? int64_t(curve.tokens) - totals.exit_counts.back() : 0;  // tokens that also ran block L
  p.block_fraction = ratio(totals.depth_sum + early, curve.tokens) / curve.depths;
  p.executed_flops = totals.executed_flops;
  p.full_flops = full_flops;
  p.flop_fraction = double(totals.executed_flops) / double(full_flops);
  p.consistency = ratio(totals.agreeing, curve.tokens);
  p.accuracy = ratio(totals.correct, curve.accuracy_positions);
  p.answer_agreement = ratio(totals.agreeing_answer_samples, curve.answer_samples);
  p.exit_counts = totals.exit_counts;
  return p;
}

TradeoffPoint evaluate_exits(const ExitOutcomes& outcomes, const ExitCost& cost, std::span<const int> exit_depths,
                             double parameter) {
  if (exit_depths.size() != outcomes.tokens())
    throw Error("exit depths: " + std::to_string(exit_depths.size()) + " given for " +
                std::to_string(outcomes.tokens()) + " tokens");
  if (cost.depths() != outcomes.depths())
    throw Error("exit depths: the cost model has " + std::to_string(cost.depths()) + " layers, the run " +
                std::to_string(outcomes.depths()) + " depths");
  const int L = outcomes.depths();
  ExitTotals totals;
  totals.exit_counts.assign(size_t(L), 0);
  const std::vector<size_t>& starts = outcomes.sample_starts();
  for (size_t s = 0; s + 1 < starts.size(); ++s) {
    bool has_answer = false, answer_agrees = true;
    for (size_t row = starts[s]; row < starts[s + 1]; ++row) {
      const int d = exit_depths[row];
      if (d < 1 || d > L)
        throw Error("exit depths: depth " + std::to_string(d) + " of row " + std::to_string(row) + " is outside 1.." +
                    std::to_string(L));
      const bool agrees = outcomes.agrees(row, d);
      totals.depth_sum += d;
      totals.executed_flops += cost.token_flops(outcomes.position(row), d);
      totals.agreeing += agrees;
      totals.correct += outcomes.correct(row, d);
      ++totals.exit_counts[size_t(d - 1)];
      if (outcomes.is_answer(row)) {
        has_answer = true;
        answer_agrees &= agrees;
      }
    }
    totals.agreeing_answer_samples += has_answer && answer_agrees;
  }
  TradeoffCurve curve = outcomes.empty_curve({}, CurveKind::Static);
  curve.last_block = cost.last_block();
  return tradeoff_point(curve, totals, outcomes.full_model_flops(cost), parameter);
}

}  // namespace dynamax
