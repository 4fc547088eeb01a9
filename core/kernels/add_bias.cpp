#include "core/kernels/add_bias.h"

#include <cstddef>

namespace dynamax {

void add_bias(float* rows, int T, int64_t ld, const std::vector<float>& bias, int first, int last) {
  if (bias.empty()) return;
  for (int t = 0; t < T; ++t)
    for (int j = first; j < last; ++j) rows[int64_t(t) * ld + j] += bias[size_t(j)];
}

}  // namespace dynamax
