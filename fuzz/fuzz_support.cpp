#include "fuzz/fuzz_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace dynamax::fuzz {

namespace {

// This process's scratch folder, removed when the process exits normally.
struct ScratchDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("dynamax-fuzz-" + std::to_string(getpid()));
  ScratchDir() { std::filesystem::create_directories(path); }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace

static const std::filesystem::path& scratch_dir() {
  static const ScratchDir dir;
  return dir.path;
}

std::filesystem::path write_input(std::string_view name, const uint8_t* data, size_t size) {
  const auto path = scratch_dir() / name;
  FILE* out = std::fopen(path.c_str(), "wb");
  if (!out || std::fwrite(data, 1, size, out) != size || std::fclose(out) != 0) {
    std::perror(path.c_str());
    std::abort();  // the harness itself failed, not the reader: stop rather than report nonsense
  }
  return path;
}

void note_refusal(const std::exception& refusal) {
  static const bool verbose = std::getenv("DYNAMAX_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "refused: %s\n", refusal.what());
}

std::filesystem::path shared_dir() {
  for (const char* name : {"DYNAMAX_SHARED", "DYNAMAX_SHARED_DEFAULT"})
    if (const char* value = std::getenv(name); value && *value) return value;
  return DYNAMAX_FUZZ_SHARED_DEFAULT;
}

}  // namespace dynamax::fuzz
