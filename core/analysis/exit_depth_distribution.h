#pragma once
// How a run's tokens spread over exit depths at one threshold: the histogram a comparison draws per run.
#include <cstdint>
#include <span>
#include <vector>

namespace dynamax {

struct ExitDepthDistribution {
  int depths = 0;                // L
  std::vector<int64_t> counts;   // [L]: tokens exiting at depth d in counts[d − 1]
  int64_t tokens = 0;
  double mean_depth = 0;         // NaN when there are no tokens

  double share(int depth) const;  // of all tokens; NaN when there are none
  double mean_fraction() const { return mean_depth / depths; }
};

// The distribution of one exit depth per token (each in 1..L). Throws dynamax::Error for a depth outside 1..L.
ExitDepthDistribution exit_depth_distribution(std::span<const int> exit_depths, int depths);

}  // namespace dynamax
