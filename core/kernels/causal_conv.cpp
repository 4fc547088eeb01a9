#include "core/kernels/causal_conv.h"

#include <cassert>
#include <cmath>
#include <cstring>

#include "core/kernels/activations.h"

namespace dynamax {

void causal_conv_silu(const float* in, int64_t ld_in, int T, int C, int K, const float* weight, const float* bias,
                      float* history, float* out) {
  assert(in && weight && out && T >= 0 && C > 0 && K >= 1 && ld_in >= C && (history || K == 1));
  const int past = K - 1;
  // Row r of the input timeline: r < 0 reaches back into the history.
  auto row = [&](int r) { return r < 0 ? history + int64_t(past + r) * C : in + r * ld_in; };
  for (int t = 0; t < T; ++t) {
    float* o = out + int64_t(t) * C;
    if (bias)
      std::memcpy(o, bias, size_t(C) * sizeof(float));
    else
      std::memset(o, 0, size_t(C) * sizeof(float));
    for (int k = 0; k < K; ++k) {
      const float* x = row(t - past + k);
      const float* w = weight + int64_t(k) * C;
      for (int c = 0; c < C; ++c) o[c] += w[c] * x[c];
    }
    silu(o, o, C);
  }
  // Keep the last K−1 inputs: the newest rows come from `in`, older ones (when T < K−1) from the history itself.
  const int kept = past > T ? past - T : 0;
  if (kept > 0) std::memmove(history, history + int64_t(past - kept) * C, size_t(kept) * C * sizeof(float));
  for (int r = kept; r < past; ++r)
    std::memcpy(history + int64_t(r) * C, in + (T - past + r) * ld_in, size_t(C) * sizeof(float));
}

}  // namespace dynamax
