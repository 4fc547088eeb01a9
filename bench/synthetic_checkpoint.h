#pragma once
// Synthetic model folders for benchmarks: a config.json and a model.safetensors of random BF16 weights with any
// tensor names and shapes (a 7B-shaped block is ~0.4 GB: the tensors are generated and written in a stream, never
// held in memory whole). Header-only, so every bench_*.cpp can use it without a build change.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/kernels/convert.h"

namespace bench {

struct SyntheticTensor {
  std::string name;
  std::vector<int64_t> shape;
  float center = 0.0f;   // values uniform in center ± spread (norm weights: 1 ± small)
  float spread = 0.02f;
};

// Writes <folder>/config.json and <folder>/model.safetensors (creating the folder); throws dynamax::Error on failure.
inline void write_synthetic_checkpoint(const std::filesystem::path& folder, const nlohmann::json& config,
                                       const std::vector<SyntheticTensor>& tensors, uint64_t seed = 1) {
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "config.json") << config.dump(2);

  nlohmann::json header = {{"__metadata__", {{"format", "pt"}}}};
  uint64_t offset = 0;
  for (const SyntheticTensor& t : tensors) {
    uint64_t n = 1;
    for (int64_t d : t.shape) n *= uint64_t(d);
    header[t.name] = {{"dtype", "BF16"}, {"shape", t.shape}, {"data_offsets", {offset, offset + 2 * n}}};
    offset += 2 * n;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // the data section starts 8-byte aligned
  const std::filesystem::path path = folder / "model.safetensors";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const uint64_t header_size = text.size();  // little-endian on every machine this runs on
  out.write(reinterpret_cast<const char*>(&header_size), 8);
  out.write(text.data(), std::streamsize(text.size()));

  uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;  // xorshift64*: fast enough to generate gigabytes
  std::vector<uint16_t> chunk(size_t(1) << 20);
  for (const SyntheticTensor& t : tensors) {
    uint64_t left = 1;
    for (int64_t d : t.shape) left *= uint64_t(d);
    while (left > 0) {
      const size_t n = size_t(std::min<uint64_t>(left, chunk.size()));
      for (size_t i = 0; i < n; ++i) {
        state ^= state >> 12, state ^= state << 25, state ^= state >> 27;
        const float unit = float((state * 0x2545F4914F6CDD1Dull) >> 40) / float(1 << 24);  // [0, 1)
        chunk[i] = dynamax::f32_to_bf16_round(t.center + t.spread * (2.0f * unit - 1.0f));
      }
      out.write(reinterpret_cast<const char*>(chunk.data()), std::streamsize(n * 2));
      left -= n;
    }
  }
  if (!out.flush()) throw dynamax::Error("cannot write " + path.string());
}

}  // namespace bench
