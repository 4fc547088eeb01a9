#pragma once
// What every harness shares: the bytes as a file the real reader opens, the fixtures folder, and the rule that
// an input may be refused only with the project's error.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "core/common/error.h"

namespace dynamax::fuzz {

// Inputs above this are not tried: every reader is linear or close, so bigger inputs find nothing smaller ones
// do not, and only slow the search.
constexpr size_t kMaxInputBytes = 1 << 20;

// Writes the bytes to `name` in this process's scratch folder (removed at exit) and returns its path. The same
// name is overwritten by the next input.
std::filesystem::path write_input(std::string_view name, const uint8_t* data, size_t size);

// The shared/ folder with the fixtures: $DYNAMAX_SHARED, else $DYNAMAX_SHARED_DEFAULT, else the configured one.
std::filesystem::path shared_dir();

// With DYNAMAX_FUZZ_VERBOSE set (when replaying by hand), prints each refusal to stderr.
void note_refusal(const std::exception& refusal);

// Runs `read`; a dynamax::Error is an accepted refusal. Anything else escapes and is a finding: libFuzzer and
// the replay driver report an uncaught exception as a crash.
template <class Read>
void refusal_is_fine(Read&& read) {
  try {
    read();
  } catch (const dynamax::Error& e) {
    note_refusal(e);
  }
}

}  // namespace dynamax::fuzz
