#pragma once
// The sums a softmax and its entropy need, over a whole vocabulary row: on the recording hot path (one row per
// token per depth), so vectorised.
#include <cstdint>

namespace dynamax {

struct SoftmaxSums {
  double sum = 0;       // Σ e^(x − shift)
  double weighted = 0;  // Σ e^(x − shift) · (x − shift)
};

struct TopTwo {
  int64_t best = 0;    // index of the largest value (the first on ties, like torch.argmax)
  float best_value = 0;
  float second_value = 0;  // the largest value at any other index (best_value on a tie; -inf when n = 1)
};

// The two largest values of x[0..n), n ≥ 1.
TopTwo top_two(const float* x, int64_t n);

// Sums over x[0..n) with `shift` ≥ max(x) (pass the maximum): then log-sum-exp = shift + log(sum) and the entropy
// is log(sum) − weighted / sum. Float exponentials (≤ 2 ulp), accumulated per lane in float, totalled in double.
SoftmaxSums softmax_sums(const float* x, int64_t n, float shift);

}  // namespace dynamax
