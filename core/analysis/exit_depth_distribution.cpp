#include "core/analysis/exit_depth_distribution.h"

#include <cmath>
#include <string>

#include "core/common/error.h"

namespace dynamax {

double ExitDepthDistribution::share(int depth) const {
  return tokens ? double(counts[size_t(depth - 1)]) / double(tokens) : NAN;
}

ExitDepthDistribution exit_depth_distribution(std::span<const int> exit_depths, int depths) {
  if (depths < 1) throw Error("exit depth distribution: the run has no depths (L = " + std::to_string(depths) + ")");
  ExitDepthDistribution out;
  out.depths = depths;
  out.counts.assign(size_t(depths), 0);
  int64_t depth_sum = 0;
  for (int d : exit_depths) {
    if (d < 1 || d > depths)
      throw Error("exit depth distribution: depth " + std::to_string(d) + " is outside 1.." + std::to_string(depths));
    ++out.counts[size_t(d - 1)];
    depth_sum += d;
  }
  out.tokens = int64_t(exit_depths.size());
  out.mean_depth = out.tokens ? double(depth_sum) / double(out.tokens) : NAN;
  return out;
}

}  // namespace dynamax
