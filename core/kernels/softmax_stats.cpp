#include "core/kernels/softmax_stats.h"

// GCC 12's AVX-512 headers start vectors from _mm512_undefined_*(), which -W(maybe-)uninitialized misreports.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

#include <cassert>
#include <algorithm>
#include <cmath>

namespace dynamax {

namespace {

SoftmaxSums sums_plain(const float* x, int64_t n, float shift) {
  SoftmaxSums s;
  for (int64_t i = 0; i < n; ++i) {
    const double z = double(x[i]) - shift, e = std::exp(z);
    s.sum += e;
    s.weighted += e * z;
  }
  return s;
}

// e^z for z ≤ 0: z = k·ln2 + r with |r| ≤ ln2/2, e^r by a degree-7 polynomial (Cephes expf), scaled by 2^k.
__attribute__((target("avx512f"))) inline __m512 exp_nonpositive(__m512 z) {
  z = _mm512_max_ps(z, _mm512_set1_ps(-87.3f));  // below, e^z underflows; keep the polynomial in range
  const __m512 k = _mm512_roundscale_ps(_mm512_mul_ps(z, _mm512_set1_ps(1.44269504088896341f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(k, _mm512_set1_ps(0.693359375f), z);
  r = _mm512_fnmadd_ps(k, _mm512_set1_ps(-2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.9875691500e-4f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
  p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
  return _mm512_scalef_ps(p, k);
}

__attribute__((target("avx512f"))) SoftmaxSums sums_avx512(const float* x, int64_t n, float shift) {
  const __m512 vshift = _mm512_set1_ps(shift);
  __m512 sum = _mm512_setzero_ps(), weighted = _mm512_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512 z = _mm512_sub_ps(_mm512_loadu_ps(x + i), vshift);
    const __m512 e = exp_nonpositive(z);
    sum = _mm512_add_ps(sum, e);
    weighted = _mm512_fmadd_ps(e, z, weighted);
  }
  SoftmaxSums s;
  alignas(64) float lanes_sum[16], lanes_weighted[16];
  _mm512_store_ps(lanes_sum, sum);
  _mm512_store_ps(lanes_weighted, weighted);
  for (int l = 0; l < 16; ++l) {
    s.sum += lanes_sum[l];
    s.weighted += lanes_weighted[l];
  }
  const SoftmaxSums tail = sums_plain(x + i, n - i, shift);
  s.sum += tail.sum;
  s.weighted += tail.weighted;
  return s;
}

float max_plain(const float* x, int64_t n) {
  float m = x[0];
  for (int64_t i = 1; i < n; ++i) m = x[i] > m ? x[i] : m;
  return m;
}

__attribute__((target("avx512f"))) float max_avx512(const float* x, int64_t n) {
  if (n < 16) return max_plain(x, n);
  __m512 m = _mm512_loadu_ps(x);
  int64_t i = 16;
  for (; i + 16 <= n; i += 16) m = _mm512_max_ps(m, _mm512_loadu_ps(x + i));
  float out = _mm512_reduce_max_ps(m);
  for (; i < n; ++i) out = x[i] > out ? x[i] : out;
  return out;
}

float max_of(const float* x, int64_t n) {
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  return avx512 ? max_avx512(x, n) : max_plain(x, n);
}

}  // namespace

TopTwo top_two(const float* x, int64_t n) {
  assert(n > 0);
  TopTwo t;
  t.best_value = max_of(x, n);
  while (x[t.best] != t.best_value) ++t.best;
  // The second value: the maximum over everything but the best index, in two vector passes around it.
  float second = -INFINITY;
  if (t.best > 0) second = max_of(x, t.best);
  if (t.best + 1 < n) second = std::max(second, max_of(x + t.best + 1, n - t.best - 1));
  t.second_value = second;
  return t;
}

SoftmaxSums softmax_sums(const float* x, int64_t n, float shift) {
  assert(n > 0);
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  return avx512 ? sums_avx512(x, n, shift) : sums_plain(x, n, shift);
}

}  // namespace dynamax
