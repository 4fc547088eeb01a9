#pragma once
// The best time of everything a benchmark measures, over rounds that interleave all its measurements: the machine
// is shared, and interleaving lets every figure see the same conditions, its best the quietest moment.
#include <algorithm>
#include <functional>
#include <map>
#include <string>

#include "bench/machine_limits.h"

namespace bench {

// Seconds one call of `fn` takes.
inline double seconds_of(const std::function<void()>& fn) {
  const double start = now_seconds();
  fn();
  return now_seconds() - start;
}

struct BestTimes {
  std::map<std::string, double> seconds;
  void add(const std::string& name, double s) {
    auto [it, fresh] = seconds.emplace(name, s);
    if (!fresh) it->second = std::min(it->second, s);
  }
  double operator[](const std::string& name) const { return seconds.at(name); }
};

}  // namespace bench
