#pragma once
// The machine's own limits, measured in the same run as every benchmark so its figures have a yardstick.
#include <algorithm>
#include <string>

namespace bench {

// Which kernel set OpenBLAS picked at load time (openblas_get_corename), and its thread count.
std::string openblas_core();
int openblas_threads();
// Best-of-n sgemm GFLOP/s for C[m x n] = A[m x k] · B[n x k]ᵀ (the engine's shape), fp32, all BLAS threads.
double sgemm_gflops(int m, int n, int k, int repeats = 3);
// Best-of-n sgemv GFLOP/s for y[m] = A[m x k] · x.
double sgemv_gflops(int m, int k, int repeats = 5);
// Memory bandwidth of a simple stream over `bytes` (read one buffer, write another), GB/s (1e9 bytes/s),
// counting read + written bytes. Uses all hardware threads.
double stream_copy_gbps(size_t bytes = size_t(512) << 20);
// Read-only bandwidth (sum of a large buffer), GB/s, all hardware threads: the bound for weight streaming.
double stream_read_gbps(size_t bytes = size_t(1) << 30);
// Prints the header every benchmark starts with: CPU cores, OpenBLAS core and threads, sgemm/stream figures.
void print_machine_header();
// Wall-clock seconds since an arbitrary epoch.
double now_seconds();
// The best of `repeats` timed calls of `fn`, after one untimed warm-up call.
template <class Fn>
double best_seconds(Fn fn, int repeats = 3) {
  double best = 1e30;
  for (int r = 0; r <= repeats; ++r) {
    const double t0 = now_seconds();
    fn();
    if (r) best = std::min(best, now_seconds() - t0);
  }
  return best;
}

}  // namespace bench
