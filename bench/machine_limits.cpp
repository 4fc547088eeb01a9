#include "bench/machine_limits.h"

#include <cblas.h>

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
  std::vector<float> a(size_t(m) * k, 0.5f), x(size_t(k), 0.25f), y(size_t(m));
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

double stream_read_gbps(size_t bytes) {
  const size_t n = bytes / sizeof(float);
  std::vector<float> src(n, 1.0f);
  std::vector<double> sums(64);
  double best = parallel_best(
      [&](unsigned i, unsigned count) {
        size_t lo = n * i / count, hi = n * (i + 1) / count;
        float acc[16] = {};
        for (size_t j = lo; j + 16 <= hi; j += 16)
          for (int v = 0; v < 16; ++v) acc[v] += src[j + v];
        sums[i] = std::accumulate(acc, acc + 16, 0.0);
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
