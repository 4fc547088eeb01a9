#pragma once
// The bias of a linear layer, added after its product (in either precision, as nn.Linear does).
#include <cstdint>
#include <vector>

namespace dynamax {

// rows[t·ld + j] += bias[j] for t < T and first ≤ j < last (the columns the product computed). An empty bias, a
// layer without one, adds nothing.
void add_bias(float* rows, int T, int64_t ld, const std::vector<float>& bias, int first, int last);

// Whole rows as wide as the bias.
inline void add_bias(float* rows, int T, const std::vector<float>& bias) {
  add_bias(rows, T, int64_t(bias.size()), bias, 0, int(bias.size()));
}

}  // namespace dynamax
