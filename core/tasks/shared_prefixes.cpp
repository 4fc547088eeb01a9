#include "core/tasks/shared_prefixes.h"

#include <algorithm>
#include <numeric>

namespace dynamax {

namespace {

struct Grouping {
  int64_t saved = 0;
  std::vector<SharedPrefix> groups;
};

class PrefixChooser {
 public:
  PrefixChooser(const std::vector<std::span<const int32_t>>& prompts, int min_length)
      : prompts_(prompts), min_length_(min_length), order_(prompts.size()) {
    std::iota(order_.begin(), order_.end(), size_t(0));
    std::sort(order_.begin(), order_.end(), [&](size_t a, size_t b) {
      return std::lexicographical_compare(prompts[a].begin(), prompts[a].end(), prompts[b].begin(), prompts[b].end());
    });
    for (size_t i = 0; i + 1 < order_.size(); ++i) common_.push_back(common(order_[i], order_[i + 1]));
  }

  Grouping best() const { return order_.size() < 2 ? Grouping{} : best(0, order_.size()); }

 private:
  int common(size_t a, size_t b) const {
    const auto& x = prompts_[a];
    const auto& y = prompts_[b];
    const size_t n = std::min(x.size(), y.size());
    size_t i = 0;
    while (i < n && x[i] == y[i]) ++i;
    return int(i);
  }

  // Sorted samples [a, b), b − a ≥ 2: either one prefix for all of them (as long as all share), or the best
  // grouping of each part left when the range splits where its shortest common prefix is.
  Grouping best(size_t a, size_t b) const {
    const int shortest = *std::min_element(common_.begin() + ptrdiff_t(a), common_.begin() + ptrdiff_t(b - 1));
    Grouping split;
    for (size_t part = a, i = a; i < b; ++i) {
      if (i + 1 < b && common_[i] != shortest) continue;
      if (i + 1 - part >= 2) {
        Grouping g = best(part, i + 1);
        split.saved += g.saved;
        for (SharedPrefix& p : g.groups) split.groups.push_back(std::move(p));
      }
      part = i + 1;
    }
    const int length = shortest - 1;  // its members also share the target of its last position
    const int64_t saved = int64_t(b - a - 1) * length;
    if (length < min_length_ || saved < split.saved) return split;
    SharedPrefix all{length, std::vector<size_t>(order_.begin() + ptrdiff_t(a), order_.begin() + ptrdiff_t(b))};
    std::sort(all.members.begin(), all.members.end());
    return {saved, {std::move(all)}};
  }

  const std::vector<std::span<const int32_t>>& prompts_;
  int min_length_;
  std::vector<size_t> order_;
  std::vector<int> common_;  // common_[i]: common prefix of sorted neighbours i and i + 1
};

}  // namespace

std::vector<SharedPrefix> find_shared_prefixes(const std::vector<std::span<const int32_t>>& prompts, int min_length) {
  std::vector<SharedPrefix> groups = PrefixChooser(prompts, std::max(1, min_length)).best().groups;
  std::sort(groups.begin(), groups.end(),
            [](const SharedPrefix& x, const SharedPrefix& y) { return x.members.front() < y.members.front(); });
  return groups;
}

std::vector<SharedPrefix> find_dataset_prefixes(const Dataset& dataset, int min_length) {
  std::vector<std::vector<int32_t>> prompts(dataset.size());
  for (size_t i = 0; i < dataset.size(); ++i) {
    Sample s = dataset.sample(i);
    s.ids.resize(size_t(std::clamp(s.prompt_tokens, 0, int(s.ids.size()))));
    prompts[i] = std::move(s.ids);
  }
  return find_shared_prefixes(std::vector<std::span<const int32_t>>(prompts.begin(), prompts.end()), min_length);
}

}  // namespace dynamax
