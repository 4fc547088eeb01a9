#pragma once
// A learned exit score read from the residual stream during a recording: an exit classifier, at its exit depths.
#include <cstddef>
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
  // Floats of state one exit carries from token to token (0 for a stateless scorer).
  virtual size_t state_size() const = 0;
  // The same as score() for the next T rows of a sequence fed in pieces, from and into the exit's `state`
  // (state_size() floats, zeros at the sequence's start): a sample continued from a shared prefix.
  virtual void score_continued(int depth, const float* h, int T, float* state, float* scores) const = 0;
};

}  // namespace dynamax
