// bf16/f16 → fp32 conversion throughput next to the machine's memory bandwidth, measured in the same run.
// Bytes counted as read + written (2 + 4 per element), the same accounting as the stream copy.
#include <cstdio>
#include <thread>
#include <vector>

#include "bench/machine_limits.h"
#include "core/kernels/convert.h"

using namespace dynamax;

int main() {
  bench::print_machine_header();
  std::printf("convert: kernel %s\n", convert_kernel_name());
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  for (size_t elements : {size_t(1) << 16, size_t(1) << 20, size_t(128) << 20}) {  // in cache, in L2/L3, in memory
    std::vector<uint16_t> src(elements, 0x3f80);
    std::vector<float> dst(elements);
    const double bytes = double(elements) * 6.0;
    const double one = bench::best_seconds([&] { bf16_to_f32(src.data(), dst.data(), elements); });
    const double all = bench::best_seconds([&] {
      std::vector<std::thread> pool;
      for (unsigned i = 0; i < threads; ++i)
        pool.emplace_back([&, i] {
          const size_t lo = elements * i / threads, hi = elements * (i + 1) / threads;
          bf16_to_f32(src.data() + lo, dst.data() + lo, hi - lo);
        });
      for (auto& t : pool) t.join();
    });
    const double f16 = bench::best_seconds([&] { f16_to_f32(src.data(), dst.data(), elements); });
    std::printf("convert: %9zu elements (%7.1f MiB bf16): bf16 1 thread %6.1f GB/s, %u threads %6.1f GB/s; f16 1 thread %6.1f GB/s\n",
                elements, elements * 2.0 / (1 << 20), bytes / one / 1e9, threads, bytes / all / 1e9, bytes / f16 / 1e9);
  }
  // The engine's pattern: weights stream from memory into a panel that stays in cache (matmul's scratch).
  const size_t total = size_t(256) << 20, panel = size_t(256) << 10;  // 512 MiB of bf16, 1 MiB fp32 panel
  std::vector<uint16_t> weights(total, 0x3f80);
  std::vector<float> scratch(panel);
  const double seconds = bench::best_seconds([&] {
    for (size_t at = 0; at < total; at += panel) bf16_to_f32(weights.data() + at, scratch.data(), panel);
  }, 3);
  std::printf("convert: bf16 from memory into a cache-resident 1 MiB panel: %.1f GB/s of bf16 read (1 thread); "
              "compare with stream read above\n", total * 2.0 / seconds / 1e9);
  return 0;
}
