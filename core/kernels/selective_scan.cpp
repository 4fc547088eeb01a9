#include "core/kernels/selective_scan.h"

#include <cassert>
#include <cmath>
#include <vector>

namespace dynamax {

template <bool kOutput>
static void scan_channels(const SelectiveScanArgs& a) {
  const int N = a.state_size;
  std::vector<float> decay(size_t(N), 0.0f);
  for (int c = 0; c < a.channels; ++c) {
    float* S = a.state + int64_t(c) * N;
    const float* A = a.A + int64_t(c) * N;
    for (int t = 0; t < a.T; ++t) {
      const float dt = a.dt[int64_t(t) * a.channels + c], x = a.x[t * a.ld_x + c], dx = dt * x;
      const float* B = a.B + t * a.ld_bc;
      const float* C = a.C + t * a.ld_bc;
      for (int n = 0; n < N; ++n) decay[size_t(n)] = std::exp(dt * A[n]);
      float acc = 0.0f;
      for (int n = 0; n < N; ++n) {
        S[n] = decay[size_t(n)] * S[n] + dx * B[n];
        if constexpr (kOutput) acc += S[n] * C[n];
      }
      if constexpr (kOutput) a.y[t * a.ld_y + c] = acc + a.D[c] * x;
    }
  }
}

void selective_scan(const SelectiveScanArgs& a) {
  assert(a.T >= 0 && a.channels > 0 && a.state_size > 0);
  assert(a.x && a.dt && a.B && a.C && a.A && a.D && a.state);
  assert(a.ld_x >= a.channels && a.ld_bc >= a.state_size && (!a.y || a.ld_y >= a.channels));
  if (a.y)
    scan_channels<true>(a);
  else
    scan_channels<false>(a);
}

}  // namespace dynamax
