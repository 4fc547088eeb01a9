#pragma once
// Element-wise activations in fp32, as PyTorch defines them: SiLU (SwiGLU MLPs, Mamba2 gates and conv) and softplus
// (Mamba2 time steps).
#include <cmath>
#include <cstdint>

namespace dynamax {

// silu(x) = x · sigmoid(x) = x / (1 + e^-x).
inline float silu(float x) { return x / (1.0f + std::exp(-x)); }

// softplus(x) = log(1 + e^x), linear above 20 like torch.nn.functional.softplus (beta 1, threshold 20).
inline float softplus(float x) { return x > 20.0f ? x : std::log1p(std::exp(x)); }

// y[i] = silu(x[i]); y may alias x.
void silu(const float* x, float* y, int64_t n);
// y[i] = softplus(x[i]); y may alias x.
void softplus(const float* x, float* y, int64_t n);
// out[i] = silu(gate[i]) · up[i]: the SwiGLU product; out may alias gate or up.
void silu_mul(const float* gate, const float* up, float* out, int64_t n);

}  // namespace dynamax
