#include "core/exits/repetition_penalty.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "core/common/error.h"

namespace dynamax {

void apply_repetition_penalty(const RepetitionPenalty& rule, std::span<const int32_t> generated, std::span<float> logits) {
  if (!rule.active()) return;
  if (!(rule.penalty > 0)) throw Error("repetition penalty must be positive, got " + std::to_string(rule.penalty));
  const size_t n = rule.window > 0 ? std::min(generated.size(), size_t(rule.window)) : generated.size();
  std::unordered_set<int32_t> seen;
  for (int32_t id : generated.last(n)) {
    if (id < 0 || size_t(id) >= logits.size() || !seen.insert(id).second) continue;
    float& z = logits[size_t(id)];
    z = z < 0 ? z * rule.penalty : z / rule.penalty;
  }
}

}  // namespace dynamax
