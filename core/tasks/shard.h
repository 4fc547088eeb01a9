#pragma once
// A deterministic partition of a dataset's samples for array jobs: shard K of N takes a contiguous slice of the
// (limited) dataset, so samples that share a prompt prefix (CoQA turns of one story) stay in the same shard.
#include <cstddef>
#include <string>
#include <string_view>

namespace dynamax {

struct Shard {
  int index = 1;  // K, 1-based
  int count = 1;  // N; 1/1 is the whole dataset

  bool whole() const { return count == 1; }
  // Samples [begin, end) of a dataset of `samples`; the N slices tile it, sizes differ by at most one.
  size_t begin(size_t samples) const { return samples * size_t(index - 1) / size_t(count); }
  size_t end(size_t samples) const { return samples * size_t(index) / size_t(count); }
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// Parses "K/N" with 1 ≤ K ≤ N ≤ 100000; throws dynamax::Error saying what is wrong.
Shard parse_shard(std::string_view text);

}  // namespace dynamax
