#pragma once
// Where a token may leave the model: the allowed exit depths, and the rule "exit at the first allowed depth whose
// confidence score reaches τ, else run the full model (depth L)". τ is an argument, not a member: it is what a
// sweep or a slider varies while the depths stay fixed.
#include <span>
#include <string_view>
#include <vector>

namespace dynamax {

struct ExitPolicy {
  int depths = 0;            // L, the full model
  std::vector<int> allowed;  // ascending, unique, within min_depth..L

  // Allowed depths below L: where the score decides. At L the model ends whatever the score says.
  std::span<const int> decision_depths() const;
};

// Allowed depths `requested` (any order; empty = every depth), keeping those ≥ `min_depth`. Throws dynamax::Error
// for a depth or minimum outside 1..L, or when no depth is left.
ExitPolicy make_exit_policy(int depths, std::span<const int> requested = {}, int min_depth = 1);

// "8,10,12,14" → {8, 10, 12, 14}; throws dynamax::Error naming the bad item.
std::vector<int> parse_depth_list(std::string_view text);

// The exit depth of one token: the first decision depth d with row_scores[d − 1] ≥ threshold, else L.
// `row_scores` holds the token's L scores (depth 1 first).
int exit_depth(const ExitPolicy& policy, std::span<const float> row_scores, double threshold);

}  // namespace dynamax
