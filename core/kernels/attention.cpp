#include "core/kernels/attention.h"

#include <cblas.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "core/kernels/single_threaded_blas.h"

namespace dynamax {

namespace {

// Index of the first entry whose position is > pos (positions are sorted).
int first_after(const int32_t* k_pos, int n, int64_t pos) {
  return int(std::upper_bound(k_pos, k_pos + n, pos, [](int64_t p, int32_t k) { return p < k; }) - k_pos);
}

// In place: row ← softmax(row) over the keys its query may see, the others getting probability 0 (all zeros when
// it sees none, so that its output is zero rather than NaN).
void masked_softmax(float* row, const int32_t* k_pos, int n, int64_t q_pos, int window) {
  const int64_t oldest = window > 0 ? q_pos - window : std::numeric_limits<int64_t>::min();  // exclusive
  const float minus_inf = -std::numeric_limits<float>::infinity();
  float max = minus_inf;
  for (int j = 0; j < n; ++j) {
    if (k_pos[j] > q_pos || k_pos[j] <= oldest) row[j] = minus_inf;
    else max = std::max(max, row[j]);
  }
  if (max == minus_inf) return std::fill(row, row + n, 0.0f);
  float sum = 0.0f;
  for (int j = 0; j < n; ++j) sum += (row[j] = std::exp(row[j] - max));
  const float inv = 1.0f / sum;
  for (int j = 0; j < n; ++j) row[j] *= inv;
}

// One query row (a decode step) against m entries: the heads that share a KV head are stacked into one
// [group x head_dim] matrix (they are adjacent in Q), so each cached key and value is read once per KV head
// rather than once per query head. Single-threaded BLAS: these products are small, and OpenBLAS's worker threads
// would keep spinning after them on the cores the decode step's weight products run on next.
void attend_one_query(const AttentionShape& s, const float* q, int q_pos, const float* K, const float* V,
                      const int32_t* k_pos, int m, float scale, float* out, std::vector<float>& scores) {
  SingleThreadedBlas single;
  const int hd = s.head_dim, group = s.num_heads / s.num_kv_heads;
  const int64_t ldkv = int64_t(s.num_kv_heads) * hd;
  if (scores.size() < size_t(group) * m) scores.resize(size_t(group) * m);
  float* S = scores.data();
  for (int g = 0; g < s.num_kv_heads; ++g) {
    const float* qg = q + int64_t(g) * group * hd;
    float* og = out + int64_t(g) * group * hd;
    const float* k = K + g * hd;
    const float* v = V + g * hd;
    if (group == 1) cblas_sgemv(CblasRowMajor, CblasNoTrans, m, hd, scale, k, ldkv, qg, 1, 0.0f, S, 1);
    else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, group, m, hd, scale, qg, hd, k, ldkv, 0.0f, S, m);
    for (int j = 0; j < group; ++j) masked_softmax(S + int64_t(j) * m, k_pos, m, q_pos, s.window);
    if (group == 1) cblas_sgemv(CblasRowMajor, CblasTrans, m, hd, 1.0f, v, ldkv, S, 1, 0.0f, og, 1);
    else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, group, hd, m, 1.0f, S, m, v, ldkv, 0.0f, og, hd);
  }
}

}  // namespace

void attention(const AttentionShape& s, const float* Q, int T, int q_pos0, const float* K, const float* V,
               const int32_t* k_pos, int n, float* out, std::vector<float>& scores) {
  assert(s.num_heads > 0 && s.num_kv_heads > 0 && s.num_heads % s.num_kv_heads == 0 && s.head_dim > 0);
  assert(T > 0 && q_pos0 >= 0 && n >= 0 && s.window >= 0);
  assert(std::is_sorted(k_pos, k_pos + n));
  const int hd = s.head_dim, group = s.num_heads / s.num_kv_heads;
  const int64_t ldq = int64_t(s.num_heads) * hd, ldkv = int64_t(s.num_kv_heads) * hd;
  const float scale = float(1.0 / std::sqrt(double(hd)));  // head_dim ** -0.5 in double, as HF
  // Only the entries some query row may see: from the oldest in the first row's window to the last row's position.
  const int64_t last_q = int64_t(q_pos0) + T - 1;
  const int lo = s.window > 0 ? first_after(k_pos, n, int64_t(q_pos0) - s.window) : 0;
  const int hi = first_after(k_pos, n, last_q);
  const int m = std::max(0, hi - lo);
  if (m == 0) {
    std::fill(out, out + T * ldq, 0.0f);
    return;
  }
  if (T == 1) return attend_one_query(s, Q, q_pos0, K + lo * ldkv, V + lo * ldkv, k_pos + lo, m, scale, out, scores);
  if (scores.size() < size_t(T) * m) scores.resize(size_t(T) * m);
  float* S = scores.data();
  for (int h = 0; h < s.num_heads; ++h) {
    const float* q = Q + int64_t(h) * hd;
    const float* k = K + lo * ldkv + int64_t(h / group) * hd;
    const float* v = V + lo * ldkv + int64_t(h / group) * hd;
    float* o = out + int64_t(h) * hd;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, m, hd, scale, q, ldq, k, ldkv, 0.0f, S, m);
    for (int t = 0; t < T; ++t) masked_softmax(S + int64_t(t) * m, k_pos + lo, m, int64_t(q_pos0) + t, s.window);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, T, hd, m, 1.0f, S, m, v, ldkv, 0.0f, o, ldq);
  }
}

}  // namespace dynamax
