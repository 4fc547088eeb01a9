#pragma once
// RMSNorm as Hugging Face computes it in fp32: y = x / sqrt(mean(x²) + eps) * w.
#include <cstdint>

namespace dynamax {

// out[T x n] = rmsnorm(x[T x n]) * weight[n]; out may alias x.
void rmsnorm(const float* x, const float* weight, int T, int n, float eps, float* out);

}  // namespace dynamax
