#include "core/kernels/gated_group_norm.h"

#include <cassert>
#include <cmath>

#include "core/kernels/activations.h"

namespace dynamax {

void gated_group_norm(const float* y, const float* z, int64_t ld_z, int T, int n, int groups, const float* weight,
                      float eps, float* out) {
  assert(y && z && weight && out && T >= 0 && n > 0 && groups > 0 && n % groups == 0 && ld_z >= n);
  const int width = n / groups;
  for (int t = 0; t < T; ++t) {
    const float* yr = y + int64_t(t) * n;
    const float* zr = z + t * ld_z;
    float* o = out + int64_t(t) * n;
    for (int i = 0; i < n; ++i) o[i] = yr[i] * silu(zr[i]);
    for (int g = 0; g < groups; ++g) {
      float* v = o + int64_t(g) * width;
      const float* w = weight + int64_t(g) * width;
      double sum = 0.0;  // double accumulation, as in rmsnorm: the mean must not drift with the width
      for (int i = 0; i < width; ++i) sum += double(v[i]) * v[i];
      const float inv = 1.0f / std::sqrt(float(sum / width) + eps);
      for (int i = 0; i < width; ++i) v[i] = w[i] * (v[i] * inv);
    }
  }
}

}  // namespace dynamax
