#include "bench/machine_limits.h"

#include <cblas.h>
// GCC 12's AVX-512 headers start vectors from _mm512_undefined_*(), which -W(maybe-)uninitialized misreports.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cstdlib>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <thread>
#include <vector>

extern "C" char* openblas_get_corename(void);
extern "C" int openblas_get_num_threads(void);

namespace bench {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string openblas_core() { return openblas_get_corename(); }
int openblas_threads() { return openblas_get_num_threads(); }

double sgemm_gflops(int m, int n, int k, int repeats) {
  std::vector<float> a(size_t(m) * k, 0.5f), b(size_t(n) * k, 0.25f), c(size_t(m) * n);
  double best = 1e30;
  for (int r = 0; r < repeats + 1; ++r) {  // first run warms up
    double t0 = now_seconds();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, a.data(), k, b.data(), k, 0.0f, c.data(), n);
    if (r) best = std::min(best, now_seconds() - t0);
  }
  return 2.0 * m * n * k / best / 1e9;
}

double sgemv_gflops(int m, int k, int repeats) {
  std::vector<float> a(size_t(m) * k, 0.5f), x(size_t(k), 0.25f), y(static_cast<size_t>(m));
  double best = 1e30;
  for (int r = 0; r < repeats + 1; ++r) {
    double t0 = now_seconds();
    cblas_sgemv(CblasRowMajor, CblasNoTrans, m, k, 1.0f, a.data(), k, x.data(), 1, 0.0f, y.data(), 1);
    if (r) best = std::min(best, now_seconds() - t0);
  }
  return 2.0 * m * k / best / 1e9;
}

template <class Fn>
static double parallel_best(Fn fn, int repeats) {
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  double best = 1e30;
  for (int r = 0; r < repeats + 1; ++r) {
    double t0 = now_seconds();
    std::vector<std::thread> pool;
    for (unsigned i = 0; i < threads; ++i) pool.emplace_back(fn, i, threads);
    for (auto& t : pool) t.join();
    if (r) best = std::min(best, now_seconds() - t0);
  }
  return best;
}

double stream_copy_gbps(size_t bytes) {
  const size_t n = bytes / sizeof(float);
  std::vector<float> src(n, 1.0f), dst(n, 0.0f);
  double best = parallel_best(
      [&](unsigned i, unsigned count) {
        size_t lo = n * i / count, hi = n * (i + 1) / count;
        std::memcpy(dst.data() + lo, src.data() + lo, (hi - lo) * sizeof(float));
      },
      3);
  return 2.0 * bytes / best / 1e9;
}

// Sums a buffer with four independent AVX-512 accumulators so the loop is limited by memory, not by add latency.
__attribute__((target("avx512f"))) static double sum_avx512(const float* p, size_t n) {
  __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
  size_t j = 0;
  for (; j + 64 <= n; j += 64) {
    a0 = _mm512_add_ps(a0, _mm512_loadu_ps(p + j));
    a1 = _mm512_add_ps(a1, _mm512_loadu_ps(p + j + 16));
    a2 = _mm512_add_ps(a2, _mm512_loadu_ps(p + j + 32));
    a3 = _mm512_add_ps(a3, _mm512_loadu_ps(p + j + 48));
  }
  double s = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
  for (; j < n; ++j) s += p[j];
  return s;
}

static double sum_plain(const float* p, size_t n) {
  float acc[16] = {};
  size_t j = 0;
  for (; j + 16 <= n; j += 16)
    for (int v = 0; v < 16; ++v) acc[v] += p[j + v];
  double s = std::accumulate(acc, acc + 16, 0.0);
  for (; j < n; ++j) s += p[j];
  return s;
}

double stream_read_gbps(size_t bytes) {
  const size_t n = bytes / sizeof(float);
  std::vector<float> src(n, 1.0f);
  std::vector<double> sums(64);
  const bool avx512 = __builtin_cpu_supports("avx512f");
  double best = parallel_best(
      [&](unsigned i, unsigned count) {
        size_t lo = n * i / count, hi = n * (i + 1) / count;
        sums[i] = avx512 ? sum_avx512(src.data() + lo, hi - lo) : sum_plain(src.data() + lo, hi - lo);
      },
      3);
  return double(bytes) / best / 1e9;
}

void print_machine_header() {
  std::printf("machine: %u hardware threads; OpenBLAS core %s, %d threads (OPENBLAS_CORETYPE=%s)\n",
              std::thread::hardware_concurrency(), openblas_core().c_str(), openblas_threads(),
              std::getenv("OPENBLAS_CORETYPE") ? std::getenv("OPENBLAS_CORETYPE") : "unset");
  std::printf("machine: sgemm 512x4096x4096 %.1f GFLOP/s; stream copy %.1f GB/s; stream read %.1f GB/s\n",
              sgemm_gflops(512, 4096, 4096), stream_copy_gbps(), stream_read_gbps());
}

}  // namespace bench
