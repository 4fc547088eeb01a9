#include "core/kernels/activations.h"

#include <cassert>

namespace dynamax {

void silu(const float* x, float* y, int64_t n) {
  assert(n >= 0);
  for (int64_t i = 0; i < n; ++i) y[i] = silu(x[i]);
}

void softplus(const float* x, float* y, int64_t n) {
  assert(n >= 0);
  for (int64_t i = 0; i < n; ++i) y[i] = softplus(x[i]);
}

void silu_mul(const float* gate, const float* up, float* out, int64_t n) {
  assert(n >= 0);
  for (int64_t i = 0; i < n; ++i) out[i] = silu(gate[i]) * up[i];
}

}  // namespace dynamax
