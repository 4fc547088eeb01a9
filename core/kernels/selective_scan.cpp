#include "core/kernels/selective_scan.h"

#include <immintrin.h>

#include <cassert>
#include <cmath>
#include <vector>

namespace dynamax {

static void check_args(const SelectiveScanArgs& a) {
  assert(a.T >= 0 && a.channels > 0 && a.state_size > 0);
  assert(a.x && a.dt && a.B && a.C && a.A && a.D && a.state);
  assert(a.ld_x >= a.channels && a.ld_bc >= a.state_size && (!a.y || a.ld_y >= a.channels));
  (void)a;
}

// Channels [c0, c1), one after the other, a channel's state row along state_size.
template <bool kOutput>
static void scan_scalar(const SelectiveScanArgs& a, int c0, int c1) {
  const int N = a.state_size;
  std::vector<float> decay(size_t(N), 0.0f);
  for (int c = c0; c < c1; ++c) {
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

// All lanes. The masked intrinsics are used with it because GCC 12's unmasked forms start from
// _mm512_undefined_ps() and trip -Wmaybe-uninitialized.
constexpr __mmask16 kAll = 0xFFFF;

// e^x for x ≤ 0 (dt·A): x = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor series to r^7 (remainder below 1e-8
// relative, under fp32's half ulp), times 2^n. Below −87 the result flushes to 0, as the state's decay allows.
__attribute__((target("avx512f"))) static inline __m512 exp_nonpositive(__m512 x) {
  x = _mm512_mask_max_ps(x, kAll, x, _mm512_set1_ps(-87.0f));
  const __m512 scaled = _mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f));
  const __m512 n = _mm512_mask_roundscale_ps(scaled, kAll, scaled, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  // ln2 in two parts, so that x − n·ln2 is exact to fp32 for |n| ≤ 126.
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693145751953125f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.428606765330187e-06f), r);
  __m512 p = _mm512_set1_ps(1.0f / 5040.0f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 720.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  return _mm512_mask_scalef_ps(p, kAll, p, n);
}

// Up to this many state elements per channel stay in registers (spilled to L1 beyond 32 zmm).
constexpr int kMaxVectorState = 64;

// Channels in blocks of 16, one channel a lane: the state of a block is N vectors (element n of 16 channels), so
// B and C are broadcast, dt, x and y are contiguous loads and stores, and no sum crosses lanes.
template <bool kOutput>
__attribute__((target("avx512f"))) static void scan_avx512(const SelectiveScanArgs& a, int blocks) {
  const int N = a.state_size;
  const __m512i rows = _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                                          _mm512_set1_epi32(N));  // channel i's row in [channels × N]
  __m512 S[kMaxVectorState], A[kMaxVectorState];
  for (int block = 0; block < blocks; ++block) {
    const int c0 = block * 16;
    float* state = a.state + int64_t(c0) * N;
    for (int n = 0; n < N; ++n) {
      S[n] = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), kAll, rows, state + n, 4);
      A[n] = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), kAll, rows, a.A + int64_t(c0) * N + n, 4);
    }
    const __m512 D = _mm512_loadu_ps(a.D + c0);
    for (int t = 0; t < a.T; ++t) {
      const __m512 dt = _mm512_loadu_ps(a.dt + int64_t(t) * a.channels + c0);
      const __m512 x = _mm512_loadu_ps(a.x + t * a.ld_x + c0);
      const __m512 dx = _mm512_mul_ps(dt, x);
      const float* B = a.B + t * a.ld_bc;
      const float* C = a.C + t * a.ld_bc;
      __m512 acc = _mm512_setzero_ps();
      for (int n = 0; n < N; ++n) {
        const __m512 decay = exp_nonpositive(_mm512_mul_ps(dt, A[n]));
        S[n] = _mm512_fmadd_ps(decay, S[n], _mm512_mul_ps(dx, _mm512_set1_ps(B[n])));
        if constexpr (kOutput) acc = _mm512_fmadd_ps(S[n], _mm512_set1_ps(C[n]), acc);
      }
      if constexpr (kOutput) _mm512_storeu_ps(a.y + t * a.ld_y + c0, _mm512_fmadd_ps(D, x, acc));
    }
    for (int n = 0; n < N; ++n) _mm512_i32scatter_ps(state + n, rows, S[n], 4);
  }
}

static bool use_avx512(const SelectiveScanArgs& a) {
  static const bool has_avx512 = __builtin_cpu_supports("avx512f");
  return has_avx512 && a.state_size <= kMaxVectorState && a.channels >= 16;
}

template <bool kOutput>
static void scan(const SelectiveScanArgs& a) {
  int done = 0;
  if (use_avx512(a)) {
    scan_avx512<kOutput>(a, a.channels / 16);
    done = a.channels / 16 * 16;
  }
  scan_scalar<kOutput>(a, done, a.channels);
}

void selective_scan(const SelectiveScanArgs& a) {
  check_args(a);
  a.y ? scan<true>(a) : scan<false>(a);
}

void selective_scan_scalar(const SelectiveScanArgs& a) {
  check_args(a);
  a.y ? scan_scalar<true>(a, 0, a.channels) : scan_scalar<false>(a, 0, a.channels);
}

const char* selective_scan_kernel_name(const SelectiveScanArgs& a) {
  if (!use_avx512(a)) return "scalar";
  return a.channels % 16 ? "avx512, channels in lanes (scalar remainder)" : "avx512, channels in lanes";
}

}  // namespace dynamax
