#include "core/kernels/rope.h"

#include <cassert>
#include <cmath>

namespace dynamax {

std::vector<float> rope_inv_freq(int head_dim, double theta) {
  assert(head_dim > 0 && head_dim % 2 == 0 && theta > 0);
  std::vector<float> inv(size_t(head_dim / 2));
  const float base = float(theta);
  for (int i = 0; i < head_dim / 2; ++i) {
    const float exponent = float(2 * i) / float(head_dim);  // fp32, like HF's arange(0, dim, 2).float() / dim
    inv[size_t(i)] = 1.0f / float(std::pow(double(base), double(exponent)));
  }
  return inv;
}

void rope_scale_linear(std::vector<float>& inv_freq, double factor) {
  assert(factor > 0);
  for (float& f : inv_freq) f = f / float(factor);
}

void rope_scale_llama3(std::vector<float>& inv_freq, double factor, double low_freq_factor, double high_freq_factor,
                       int original_max_position_embeddings) {
  assert(factor > 0 && low_freq_factor > 0 && high_freq_factor > low_freq_factor && original_max_position_embeddings > 0);
  const double context = original_max_position_embeddings;
  // Python computes these in double; the tensor operations then see them rounded to fp32.
  const float two_pi = float(2.0 * M_PI), scale = float(factor), low = float(low_freq_factor);
  const float low_freq_wavelen = float(context / low_freq_factor), high_freq_wavelen = float(context / high_freq_factor);
  const float span = float(high_freq_factor - low_freq_factor), ctx = float(context);
  for (float& f : inv_freq) {
    const float wavelen = (1.0f / f) * two_pi;
    const float scaled = wavelen > low_freq_wavelen ? f / scale : f;
    const float smooth = ((1.0f / wavelen) * ctx - low) / span;
    const float smoothed = (1.0f - smooth) * scaled / scale + smooth * scaled;
    const bool medium = !(wavelen < high_freq_wavelen) && !(wavelen > low_freq_wavelen);
    f = medium ? smoothed : scaled;
  }
}

void rope_cos_sin(const float* inv_freq, int head_dim, int pos0, int T, float* cos, float* sin) {
  assert(head_dim % 2 == 0 && pos0 >= 0 && T >= 0);
  const int half = head_dim / 2;
  for (int t = 0; t < T; ++t)
    for (int i = 0; i < half; ++i) {
      const float angle = float(pos0 + t) * inv_freq[i];  // rounded to fp32 first, as HF's fp32 matmul does
      cos[size_t(t) * half + i] = float(std::cos(double(angle)));
      sin[size_t(t) * half + i] = float(std::sin(double(angle)));
    }
}

void rope_rotate(float* x, int T, int64_t ld, int n_heads, int head_dim, const float* cos, const float* sin) {
  assert(head_dim % 2 == 0 && ld >= int64_t(n_heads) * head_dim);
  const int half = head_dim / 2;
  for (int t = 0; t < T; ++t) {
    const float* c = cos + size_t(t) * half;
    const float* s = sin + size_t(t) * half;
    for (int h = 0; h < n_heads; ++h) {
      float* lo = x + t * ld + int64_t(h) * head_dim;
      float* hi = lo + half;
      for (int i = 0; i < half; ++i) {
        const float a = lo[i], b = hi[i];
        lo[i] = a * c[i] - b * s[i];
        hi[i] = b * c[i] + a * s[i];
      }
    }
  }
}

}  // namespace dynamax
