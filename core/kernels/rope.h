#pragma once
// Rotary position embeddings in the Hugging Face layout: dimension i is rotated with dimension i + head_dim/2
// (no interleave). Angles are computed in fp32 exactly as HF does (position · inv_freq rounded to fp32), so the
// engine matches it at long positions, where a double-precision angle would drift from HF's by many ulps.
#include <cstdint>
#include <vector>

namespace dynamax {

// inv_freq[i] = theta^(-2i / head_dim) for i < head_dim/2, rounded to fp32.
std::vector<float> rope_inv_freq(int head_dim, double theta);

// The scalings of transformers' modeling_rope_utils, applied to inv_freq in place in its fp32 operation order
// (a Python scalar meets an fp32 tensor as an fp32 number; `scalar / tensor` is tensor.reciprocal() · scalar).
// Linear: inv_freq / factor.
void rope_scale_linear(std::vector<float>& inv_freq, double factor);
// Llama 3.1: wavelengths 2π / inv_freq above original_max / low_freq_factor are divided by `factor`, those below
// original_max / high_freq_factor kept, and those between interpolated smoothly.
void rope_scale_llama3(std::vector<float>& inv_freq, double factor, double low_freq_factor, double high_freq_factor,
                       int original_max_position_embeddings);

// cos/sin[T x head_dim/2] of the angles for positions pos0 .. pos0+T-1.
void rope_cos_sin(const float* inv_freq, int head_dim, int pos0, int T, float* cos, float* sin);

// Rotates T rows of n_heads heads each (row stride ld floats) in place with the angles from rope_cos_sin.
void rope_rotate(float* x, int T, int64_t ld, int n_heads, int head_dim, const float* cos, const float* sin);

}  // namespace dynamax
