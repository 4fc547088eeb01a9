#include "core/analysis/exit_policy.h"

#include <algorithm>
#include <charconv>
#include <string>

#include "core/common/error.h"

namespace dynamax {

std::span<const int> ExitPolicy::decision_depths() const {
  std::span<const int> all(allowed);
  return !all.empty() && all.back() == depths ? all.first(all.size() - 1) : all;
}

ExitPolicy make_exit_policy(int depths, std::span<const int> requested, int min_depth) {
  if (depths < 1) throw Error("exit policy: the run has no depths (L = " + std::to_string(depths) + ")");
  const std::string range = "1.." + std::to_string(depths);
  if (min_depth < 1 || min_depth > depths)
    throw Error("exit policy: minimum depth " + std::to_string(min_depth) + " is outside " + range);
  ExitPolicy policy{depths, {}};
  if (requested.empty()) {
    for (int d = min_depth; d <= depths; ++d) policy.allowed.push_back(d);
    return policy;
  }
  for (int d : requested) {
    if (d < 1 || d > depths) throw Error("exit policy: depth " + std::to_string(d) + " is outside " + range);
    if (d >= min_depth) policy.allowed.push_back(d);
  }
  std::sort(policy.allowed.begin(), policy.allowed.end());
  policy.allowed.erase(std::unique(policy.allowed.begin(), policy.allowed.end()), policy.allowed.end());
  if (policy.allowed.empty())
    throw Error("exit policy: no allowed depth is at or above the minimum depth " + std::to_string(min_depth));
  return policy;
}

std::vector<int> parse_depth_list(std::string_view text) {
  std::vector<int> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    std::string_view item = text.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    int value = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size())
      throw Error("depth list '" + std::string(text) + "': '" + std::string(item) +
                  "' is not a whole number (expected e.g. 8,10,12,14)");
    out.push_back(value);
    start = comma + 1;
  }
  return out;
}

int exit_depth(const ExitPolicy& policy, std::span<const float> row_scores, double threshold) {
  for (int d : policy.decision_depths())
    if (row_scores[size_t(d - 1)] >= threshold) return d;
  return policy.depths;
}

}  // namespace dynamax
