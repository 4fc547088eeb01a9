#pragma once
// Baselines on the axes of a threshold sweep. None of them reads a confidence score, so each token pays one exit
// head (HeadEvaluations::ExitOnly) and no classifier.
#include <cstdint>
#include <span>
#include <vector>

#include "core/analysis/exit_outcomes.h"
#include "core/analysis/exit_policy.h"
#include "core/io/model_config.h"

namespace dynamax {

// Every token exits at depth d; one point per allowed depth and L (parameter = d).
TradeoffCurve static_exits(const ExitOutcomes& outcomes, const ExitPolicy& policy, const ModelConfig& config);

// Per token, the shallowest allowed depth whose top-1 equals the full model's top-1, else L. It need not stay
// equal deeper down: an exit there already gives the full model's token. No policy that exits each token at
// one depth is more consistent (it is always 100 %), and none reaches 100 % with fewer blocks.
std::vector<int> oracle_exit_depths(const ExitOutcomes& outcomes, const ExitPolicy& policy);

// The oracle as a curve, the best consistency any policy reaches at each compute in blocks: k of the N tokens
// exit at their oracle depth, the others at the shallowest allowed depth, taking first the tokens whose oracle
// costs the fewest extra blocks (optimal: every token is worth one agreement). `points` values of k from 0 to N
// evenly (parameter = k / N); the last point is the oracle itself.
TradeoffCurve oracle_exits(const ExitOutcomes& outcomes, const ExitPolicy& policy, const ModelConfig& config,
                           int points = 101);

// Random exits at matched compute: for each target mean depth D (clamped to the allowed range), round(p·N)
// tokens picked by a seeded shuffle exit at the allowed depth (or L) just above D and the others at the one just
// below, with p chosen so that the mean depth is D (up to 1/N). Pass a threshold curve's mean depths to compare
// at equal compute. Reproducible: std::mt19937_64 from `seed` and a plain Fisher–Yates shuffle.
TradeoffCurve random_exits(const ExitOutcomes& outcomes, const ExitPolicy& policy, const ModelConfig& config,
                           std::span<const double> target_mean_depths, uint64_t seed = 1);

}  // namespace dynamax
