#include "core/kernels/rmsnorm.h"

#include <cassert>
#include <cmath>

namespace dynamax {

void rmsnorm(const float* x, const float* weight, int T, int n, float eps, float* out) {
  assert(T >= 0 && n > 0);
  for (int t = 0; t < T; ++t) {
    const float* xr = x + int64_t(t) * n;
    float* yr = out + int64_t(t) * n;
    double sum = 0.0;  // double accumulation: the mean of squares must not drift with width
    for (int i = 0; i < n; ++i) sum += double(xr[i]) * xr[i];
    const float inv = 1.0f / std::sqrt(float(sum / n) + eps);
    for (int i = 0; i < n; ++i) yr[i] = weight[i] * (xr[i] * inv);
  }
}

}  // namespace dynamax
