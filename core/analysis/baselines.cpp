#include "core/analysis/baselines.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "core/common/error.h"

namespace dynamax {

namespace {

ExitCost baseline_cost(const ExitOutcomes& outcomes, const ExitPolicy& policy, const ModelConfig& config) {
  if (policy.depths != outcomes.depths())
    throw Error("baselines: the exit policy has " + std::to_string(policy.depths) + " depths, the run " +
                std::to_string(outcomes.depths()));
  return ExitCost(config, policy, {HeadEvaluations::ExitOnly, 0, outcomes.last_block()});
}

// The depths a token may end at: the allowed ones, and L.
std::vector<int> exit_levels(const ExitPolicy& policy) {
  std::vector<int> levels(policy.allowed);
  if (levels.back() != policy.depths) levels.push_back(policy.depths);
  return levels;
}

}  // namespace

TradeoffCurve static_exits(const ExitOutcomes& outcomes, const ExitPolicy& policy, const ModelConfig& config) {
  const ExitCost cost = baseline_cost(outcomes, policy, config);
  TradeoffCurve curve = outcomes.empty_curve("static", CurveKind::Static);
  std::vector<int> depths(outcomes.tokens());
  for (int d : exit_levels(policy)) {
    std::fill(depths.begin(), depths.end(), d);
    curve.points.push_back(evaluate_exits(outcomes, cost, depths, d));
  }
  return curve;
}

std::vector<int> oracle_exit_depths(const ExitOutcomes& outcomes, const ExitPolicy& policy) {
  if (policy.depths != outcomes.depths())
    throw Error("oracle: the exit policy has " + std::to_string(policy.depths) + " depths, the run " +
                std::to_string(outcomes.depths()));
  std::vector<int> depths(outcomes.tokens(), policy.depths);
  for (size_t row = 0; row < depths.size(); ++row)
    for (int d : policy.allowed)
      if (outcomes.agrees(row, d)) {
        depths[row] = d;
        break;
      }
  return depths;
}

TradeoffCurve oracle_exits(const ExitOutcomes& outcomes, const ExitPolicy& policy, const ModelConfig& config,
                           int points) {
  if (points < 2) throw Error("oracle: a curve needs at least 2 points, " + std::to_string(points) + " asked");
  const ExitCost cost = baseline_cost(outcomes, policy, config);
  const std::vector<int> oracle = oracle_exit_depths(outcomes, policy);
  const size_t N = oracle.size();
  std::vector<size_t> cheapest_first(N);
  std::iota(cheapest_first.begin(), cheapest_first.end(), size_t(0));
  std::stable_sort(cheapest_first.begin(), cheapest_first.end(), [&](size_t a, size_t b) { return oracle[a] < oracle[b]; });

  TradeoffCurve curve = outcomes.empty_curve("oracle", CurveKind::Oracle);
  std::vector<int> depths(N, policy.allowed.front());
  size_t at_oracle = 0;
  for (int i = 0; i < points; ++i) {
    const size_t k = size_t(std::llround(double(i) * double(N) / double(points - 1)));
    for (; at_oracle < k; ++at_oracle) depths[cheapest_first[at_oracle]] = oracle[cheapest_first[at_oracle]];
    curve.points.push_back(evaluate_exits(outcomes, cost, depths, double(k) / double(N)));
  }
  return curve;
}

TradeoffCurve random_exits(const ExitOutcomes& outcomes, const ExitPolicy& policy, const ModelConfig& config,
                           std::span<const double> target_mean_depths, uint64_t seed) {
  const ExitCost cost = baseline_cost(outcomes, policy, config);
  const std::vector<int> levels = exit_levels(policy);
  const size_t N = outcomes.tokens();
  std::vector<size_t> order(N);
  std::iota(order.begin(), order.end(), size_t(0));
  std::mt19937_64 rng(seed);
  for (size_t i = N; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);

  TradeoffCurve curve = outcomes.empty_curve("random", CurveKind::Random);
  std::vector<int> depths(N);
  for (double target : target_mean_depths) {
    if (std::isnan(target)) throw Error("random exits: a target mean depth is NaN");
    const double D = std::clamp(target, double(levels.front()), double(levels.back()));
    const auto upper = std::lower_bound(levels.begin(), levels.end(), D);  // first level ≥ D
    const int above = *upper, below = *upper == D ? above : *(upper - 1);
    const double share_above = above == below ? 0.0 : (D - below) / double(above - below);
    const size_t m = size_t(std::llround(share_above * double(N)));
    for (size_t i = 0; i < N; ++i) depths[order[i]] = i < m ? above : below;
    curve.points.push_back(evaluate_exits(outcomes, cost, depths, target));
  }
  return curve;
}

}  // namespace dynamax
