#include "core/kernels/ssm_scan.h"

#include <cblas.h>
#include <immintrin.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <vector>

namespace dynamax {

static void check_args(const SsmScanArgs& a) {
  assert(a.T >= 0 && a.heads > 0 && a.head_dim > 0 && a.groups > 0 && a.state_size > 0);
  assert(a.heads % a.groups == 0);
  assert(a.x && a.B && a.C && a.dt && a.A && a.D && a.state);
  assert(a.ld_in >= int64_t(a.heads) * a.head_dim && a.ld_in >= int64_t(a.groups) * a.state_size);
  assert(!a.y || a.ld_y >= int64_t(a.heads) * a.head_dim);
  (void)a;
}

// ----------------------------------------------------------------------------- sequential

// The pointers of one head at one token.
struct HeadStep {
  const float* x;  // [head_dim]
  const float* B;  // [state_size]
  const float* C;  // [state_size]
  float dt;
  float* y;  // [head_dim], or null
};

static HeadStep head_step(const SsmScanArgs& a, int h, int t) {
  const int g = h / (a.heads / a.groups);
  const int64_t row = t * a.ld_in;
  return {a.x + row + int64_t(h) * a.head_dim, a.B + row + int64_t(g) * a.state_size,
          a.C + row + int64_t(g) * a.state_size, a.dt[int64_t(t) * a.heads + h],
          a.y ? a.y + t * a.ld_y + int64_t(h) * a.head_dim : nullptr};
}

template <bool kOutput>
static void scan_head_scalar(const SsmScanArgs& a, int h) {
  const int P = a.head_dim, N = a.state_size;
  float* S = a.state + int64_t(h) * P * N;
  for (int t = 0; t < a.T; ++t) {
    const HeadStep s = head_step(a, h, t);
    const float decay = std::exp(s.dt * a.A[h]);
    for (int p = 0; p < P; ++p) {
      float* row = S + int64_t(p) * N;
      const float dx = s.dt * s.x[p];
      float acc = 0.0f;
      for (int n = 0; n < N; ++n) {
        row[n] = decay * row[n] + dx * s.B[n];
        if constexpr (kOutput) acc += row[n] * s.C[n];
      }
      if constexpr (kOutput) s.y[p] = acc + a.D[h] * s.x[p];
    }
  }
}

// Sum of the 16 lanes. Written with all-lanes masks: GCC 12's unmasked forms (and _mm512_reduce_add_ps) start
// from _mm512_undefined_ps() and trip -Wmaybe-uninitialized.
__attribute__((target("avx512f"))) static inline float horizontal_sum(__m512 v) {
  const __mmask16 all = 0xFFFF;
  v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, all, v, v, 0x4E));  // + the other 256-bit half
  v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, all, v, v, 0xB1));  // + the neighbouring 128-bit lane
  v = _mm512_add_ps(v, _mm512_mask_permute_ps(v, all, v, 0x4E));        // + the other pair within the lane
  v = _mm512_add_ps(v, _mm512_mask_permute_ps(v, all, v, 0xB1));        // + the neighbouring element
  return _mm512_cvtss_f32(v);
}

// Short runs (decode): the state row in 16-float vectors along state_size (state_size % 16 == 0).
template <bool kOutput>
__attribute__((target("avx512f"))) static void scan_head_avx512(const SsmScanArgs& a, int h) {
  const int P = a.head_dim, N = a.state_size;
  float* S = a.state + int64_t(h) * P * N;
  for (int t = 0; t < a.T; ++t) {
    const HeadStep s = head_step(a, h, t);
    const __m512 decay = _mm512_set1_ps(std::exp(s.dt * a.A[h]));
    for (int p = 0; p < P; ++p) {
      float* row = S + int64_t(p) * N;
      const __m512 dx = _mm512_set1_ps(s.dt * s.x[p]);
      __m512 acc = _mm512_setzero_ps();
      for (int n = 0; n < N; n += 16) {
        const __m512 v = _mm512_fmadd_ps(dx, _mm512_loadu_ps(s.B + n), _mm512_mul_ps(decay, _mm512_loadu_ps(row + n)));
        _mm512_storeu_ps(row + n, v);
        if constexpr (kOutput) acc = _mm512_fmadd_ps(v, _mm512_loadu_ps(s.C + n), acc);
      }
      if constexpr (kOutput) s.y[p] = horizontal_sum(acc) + a.D[h] * s.x[p];
    }
  }
}

// One token on V·16 head_dim lanes of a transposed state St[n][p] (rows `ld` floats apart): B[n] and C[n] are
// broadcast, the V outputs accumulate in registers, and no horizontal sum is needed.
template <bool kOutput, int V>
__attribute__((target("avx512f"))) static inline void step_lanes(const HeadStep& s, int p0, int N, int64_t ld,
                                                                 __m512 decay, float D, float* St) {
  __m512 dx[V], acc[V];
  for (int j = 0; j < V; ++j) {
    dx[j] = _mm512_mul_ps(_mm512_set1_ps(s.dt), _mm512_loadu_ps(s.x + p0 + 16 * j));
    acc[j] = _mm512_setzero_ps();
  }
  for (int n = 0; n < N; ++n) {
    const __m512 b = _mm512_set1_ps(s.B[n]);
    float* row = St + n * ld + p0;
    for (int j = 0; j < V; ++j) {
      const __m512 v = _mm512_fmadd_ps(b, dx[j], _mm512_mul_ps(decay, _mm512_loadu_ps(row + 16 * j)));
      _mm512_storeu_ps(row + 16 * j, v);
      if constexpr (kOutput) acc[j] = _mm512_fmadd_ps(_mm512_set1_ps(s.C[n]), v, acc[j]);
    }
  }
  if constexpr (kOutput)
    for (int j = 0; j < V; ++j)
      _mm512_storeu_ps(s.y + p0 + 16 * j,
                       _mm512_fmadd_ps(_mm512_set1_ps(D), _mm512_loadu_ps(s.x + p0 + 16 * j), acc[j]));
}

// Long runs (prefill): the head's state transposed into `St` [state_size × head_dim] for the whole run, so that
// the lanes run along head_dim (head_dim % 16 == 0). ~1.7x faster a token than the row form, but the two
// transposes cost about 30 tokens' worth (Codestral's shapes), hence only for long runs.
template <bool kOutput>
__attribute__((target("avx512f"))) static void scan_head_avx512_transposed(const SsmScanArgs& a, int h, float* St) {
  const int P = a.head_dim, N = a.state_size;
  float* S = a.state + int64_t(h) * P * N;
  for (int p = 0; p < P; ++p)
    for (int n = 0; n < N; ++n) St[int64_t(n) * P + p] = S[int64_t(p) * N + n];
  for (int t = 0; t < a.T; ++t) {
    const HeadStep s = head_step(a, h, t);
    const __m512 decay = _mm512_set1_ps(std::exp(s.dt * a.A[h]));
    int p = 0;
    for (; p + 64 <= P; p += 64) step_lanes<kOutput, 4>(s, p, N, P, decay, a.D[h], St);
    for (; p < P; p += 16) step_lanes<kOutput, 1>(s, p, N, P, decay, a.D[h], St);
  }
  for (int p = 0; p < P; ++p)
    for (int n = 0; n < N; ++n) S[int64_t(p) * N + n] = St[int64_t(n) * P + p];
}

// Runs at least this long take the transposed form.
constexpr int kTransposeMinTokens = 32;

enum class ScanPath { Scalar, Rows, Transposed };

static ScanPath scan_path(const SsmScanArgs& a) {
  static const bool avx512 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") != 0;
  }();
  if (avx512 && a.head_dim % 16 == 0 && a.T >= kTransposeMinTokens) return ScanPath::Transposed;
  if (avx512 && a.state_size % 16 == 0) return ScanPath::Rows;
  return ScanPath::Scalar;
}

const char* ssm_scan_kernel_name(const SsmScanArgs& args) {
  switch (scan_path(args)) {
    case ScanPath::Transposed: return "avx512, transposed state";
    case ScanPath::Rows: return "avx512, state rows";
    default: return "scalar";
  }
}

// Flush-to-zero and denormals-are-zero for this thread while alive: a state that decays for many tokens without
// input would otherwise turn subnormal, and every operation on it a hundred times slower.
class FlushSubnormals {
 public:
  FlushSubnormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | 0x8040); }
  ~FlushSubnormals() { _mm_setcsr(saved_); }

 private:
  unsigned saved_;
};

void ssm_scan_sequential(const SsmScanArgs& a) {
  check_args(a);
  const FlushSubnormals flush;
  const ScanPath path = scan_path(a);
  thread_local std::vector<float> transposed;
  if (path == ScanPath::Transposed && transposed.size() < size_t(a.head_dim) * a.state_size)
    transposed.resize(size_t(a.head_dim) * a.state_size);
  for (int h = 0; h < a.heads; ++h) {  // head-major: one head's state stays in L1 for the whole run
    switch (path) {
      case ScanPath::Transposed:
        a.y ? scan_head_avx512_transposed<true>(a, h, transposed.data())
            : scan_head_avx512_transposed<false>(a, h, transposed.data());
        break;
      case ScanPath::Rows: a.y ? scan_head_avx512<true>(a, h) : scan_head_avx512<false>(a, h); break;
      case ScanPath::Scalar: a.y ? scan_head_scalar<true>(a, h) : scan_head_scalar<false>(a, h); break;
    }
  }
}

// ----------------------------------------------------------------------------- chunked (state-space duality)

namespace {

// exp(log_decay) as a float, flushed to zero below 1e-30: subnormal factors would make every product they enter
// (here and inside BLAS) a hundred times slower, for values that no longer matter.
float decay_factor(double log_decay) { return log_decay < -69.0 ? 0.0f : float(std::exp(log_decay)); }
constexpr float kNegligibleDecay = 1e-30f;

// Reused between calls: sized for the largest chunk seen.
struct ChunkScratch {
  std::vector<float> CB;      // [L × L]: C_l · B_s of one group
  std::vector<float> M;       // [L × L]: the masked, decayed mixing matrix of one head
  std::vector<float> decay;   // [L]: exp(cum_l − cum_s) along the current row l
  std::vector<double> cum;    // [L]: Σ_{i ≤ l} dt_i · A
  std::vector<float> scaled;  // [L × max(N, P)]: C rows · exp(cum_l), or x rows · exp(cum_last − cum_s) · dt_s

  void reserve(int L, int N, int P) {
    const size_t LL = size_t(L) * L;
    if (CB.size() < LL) CB.resize(LL), M.resize(LL);
    if (decay.size() < size_t(L)) decay.resize(size_t(L)), cum.resize(size_t(L));
    const size_t wide = size_t(L) * size_t(std::max(N, P));
    if (scaled.size() < wide) scaled.resize(wide);
  }
};

ChunkScratch& chunk_scratch() {
  thread_local ChunkScratch scratch;
  return scratch;
}

// One head over one chunk of L tokens starting at t0; CB holds the group's C·Bᵀ for the chunk (when y is wanted).
void chunk_head(const SsmScanArgs& a, int h, int t0, int L, ChunkScratch& w) {
  const int P = a.head_dim, N = a.state_size, g = h / (a.heads / a.groups);
  const int64_t ld = a.ld_in;
  const float* x = a.x + t0 * ld + int64_t(h) * P;
  const float* B = a.B + t0 * ld + int64_t(g) * N;
  const float* C = a.C + t0 * ld + int64_t(g) * N;
  float* S = a.state + int64_t(h) * P * N;
  auto dt = [&](int s) { return a.dt[int64_t(t0 + s) * a.heads + h]; };

  double running = 0.0;
  for (int l = 0; l < L; ++l) w.cum[size_t(l)] = running += double(dt(l)) * a.A[h];

  if (a.y) {
    float* y = a.y + t0 * a.ld_y + int64_t(h) * P;
    // From the state entering the chunk: y_l = exp(cum_l) · C_l · Sᵀ.
    for (int l = 0; l < L; ++l) {
      const float e = decay_factor(w.cum[size_t(l)]);
      for (int n = 0; n < N; ++n) w.scaled[size_t(l) * N + n] = e * C[l * ld + n];
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, L, P, N, 1.0f, w.scaled.data(), N, S, N, 0.0f, y, a.ld_y);
    // From the tokens inside the chunk: y_l += Σ_{s ≤ l} C_l·B_s · exp(cum_l − cum_s) · dt_s · x_s. The decay
    // row is advanced by one factor per step rather than exp'd per element (L² exps would dominate); tokens whose
    // decay became negligible (the oldest first) drop out for good.
    int first = 0;
    for (int l = 0; l < L; ++l) {
      const float step = float(std::exp(double(dt(l)) * a.A[h]));
      for (int s = first; s < l; ++s) w.decay[size_t(s)] *= step;
      while (first < l && w.decay[size_t(first)] < kNegligibleDecay) ++first;
      w.decay[size_t(l)] = 1.0f;
      float* m = w.M.data() + size_t(l) * L;
      const float* cb = w.CB.data() + size_t(l) * L;
      for (int s = 0; s < first; ++s) m[s] = 0.0f;
      for (int s = first; s <= l; ++s) m[s] = cb[s] * w.decay[size_t(s)] * dt(s);
      for (int s = l + 1; s < L; ++s) m[s] = 0.0f;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, L, P, L, 1.0f, w.M.data(), L, x, ld, 1.0f, y, a.ld_y);
    for (int l = 0; l < L; ++l)
      for (int p = 0; p < P; ++p) y[l * a.ld_y + p] += a.D[h] * x[l * ld + p];
  }

  // The state leaving the chunk: S = exp(cum_last) · S + Σ_s exp(cum_last − cum_s) · dt_s · x_s ⊗ B_s.
  const double last = w.cum[size_t(L - 1)];
  for (int s = 0; s < L; ++s) {
    const float e = decay_factor(last - w.cum[size_t(s)]) * dt(s);
    for (int p = 0; p < P; ++p) w.scaled[size_t(s) * P + p] = e * x[s * ld + p];
  }
  const float carry = decay_factor(last);
  for (int64_t i = 0; i < int64_t(P) * N; ++i) S[i] *= carry;
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, P, N, L, 1.0f, w.scaled.data(), P, B, ld, 1.0f, S, N);
}

}  // namespace

void ssm_scan_chunked(const SsmScanArgs& a, int chunk_size) {
  check_args(a);
  assert(chunk_size > 0);
  const int per_group = a.heads / a.groups, N = a.state_size;
  ChunkScratch& w = chunk_scratch();
  w.reserve(std::min(chunk_size, std::max(a.T, 1)), N, a.head_dim);
  for (int t0 = 0; t0 < a.T; t0 += chunk_size) {
    const int L = std::min(chunk_size, a.T - t0);
    for (int g = 0; g < a.groups; ++g) {
      if (a.y) {  // C·Bᵀ is shared by the heads of a group
        const float* B = a.B + t0 * a.ld_in + int64_t(g) * N;
        const float* C = a.C + t0 * a.ld_in + int64_t(g) * N;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, L, L, N, 1.0f, C, a.ld_in, B, a.ld_in, 0.0f, w.CB.data(),
                    L);
      }
      for (int h = g * per_group; h < (g + 1) * per_group; ++h) chunk_head(a, h, t0, L, w);
    }
  }
}

}  // namespace dynamax
