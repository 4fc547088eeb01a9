#include "core/io/content_fingerprint.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

#include "core/common/error.h"

namespace dynamax {

namespace fs = std::filesystem;

namespace {

constexpr size_t kChunk = 64 << 10;
constexpr uint64_t kStride = uint64_t(64) << 20;

class Hasher {
 public:
  Hasher() : state_(XXH3_createState(), XXH3_freeState) { XXH3_128bits_reset(state_.get()); }
  void add(const void* data, size_t bytes) { XXH3_128bits_update(state_.get(), data, bytes); }
  void add(const std::string& text) {
    const uint64_t size = text.size();
    add(&size, sizeof size);
    add(text.data(), text.size());
  }
  // The bytes [offset, offset + bytes) of an open file.
  void add_range(std::ifstream& in, uint64_t offset, uint64_t bytes, const fs::path& path) {
    std::vector<char> buffer(kChunk);
    in.seekg(std::streamoff(offset));
    while (bytes > 0) {
      const size_t n = size_t(std::min<uint64_t>(bytes, buffer.size()));
      if (!in.read(buffer.data(), std::streamsize(n))) throw Error(path.string() + ": cannot read the file");
      add(buffer.data(), n);
      bytes -= n;
    }
  }
  std::string hex() const {
    const XXH128_hash_t h = XXH3_128bits_digest(state_.get());
    char text[33];
    std::snprintf(text, sizeof text, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
    return text;
  }

 private:
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state_;
};

std::ifstream open_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open the file");
  return in;
}

void add_whole_file(Hasher& h, const fs::path& path) {
  std::ifstream in = open_file(path);
  const uint64_t size = fs::file_size(path);
  h.add(&size, sizeof size);
  h.add_range(in, 0, size, path);
}

// Size, the 8-byte header length with the header it announces, and the sampled chunks of the weights.
void add_safetensors(Hasher& h, const fs::path& path) {
  std::ifstream in = open_file(path);
  const uint64_t size = fs::file_size(path);
  h.add(&size, sizeof size);
  uint64_t header = 0;
  if (size >= 8 && in.read(reinterpret_cast<char*>(&header), 8)) h.add_range(in, 8, std::min(header, size - 8), path);
  for (uint64_t offset = 0; offset < size; offset += kStride) h.add_range(in, offset, std::min<uint64_t>(kChunk, size - offset), path);
  if (size > kChunk) h.add_range(in, size - kChunk, kChunk, path);
}

std::vector<fs::path> files_sorted(const fs::path& dir, bool recursive) {
  std::vector<fs::path> files;
  auto collect = [&](const auto& iterator) {
    for (const fs::directory_entry& e : iterator)
      if (e.is_regular_file()) files.push_back(e.path());
  };
  if (recursive) collect(fs::recursive_directory_iterator(dir));
  else collect(fs::directory_iterator(dir));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::string model_fingerprint(const fs::path& model_dir) {
  Hasher h;
  for (const fs::path& file : files_sorted(model_dir, false)) {
    const std::string name = file.filename().string();
    const bool safetensors = file.extension() == ".safetensors";
    if (!safetensors && name != "config.json" && name != "tokenizer.json" && name != "tokenizer.model" &&
        name != "tokenizer_config.json")
      continue;
    h.add(name);
    if (safetensors) add_safetensors(h, file);
    else add_whole_file(h, file);
  }
  return h.hex();
}

std::string data_fingerprint(const fs::path& path) {
  Hasher h;
  if (!fs::is_directory(path)) {
    add_whole_file(h, path);
    return h.hex();
  }
  for (const fs::path& file : files_sorted(path, true)) {
    h.add(fs::relative(file, path).string());
    add_whole_file(h, file);
  }
  return h.hex();
}

}  // namespace dynamax
