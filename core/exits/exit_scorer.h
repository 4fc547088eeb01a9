#pragma once
// A learned exit score read from the residual stream during a recording: an exit classifier, at its exit depths.
#include <string>
#include <vector>

namespace dynamax {

class ExitScorer {
 public:
  virtual ~ExitScorer() = default;
  virtual const std::string& name() const = 0;
  virtual const std::vector<int>& depths() const = 0;  // ascending
  // scores[T] = p(exit) for the T rows of h (after block `depth`, one of depths()) of one whole sequence.
  virtual void score(int depth, const float* h, int T, float* scores) const = 0;
};

}  // namespace dynamax
