#pragma once
// Helpers every test suite shares: where ../shared lives, where the demo resources are.
#include <QtTest>
#include <filesystem>
#include <string>

namespace testing_support {

// ../shared, from DYNAMAX_SHARED (user) or DYNAMAX_SHARED_DEFAULT (set by CTest); empty if absent.
std::filesystem::path shared_dir();
// resources/ of this project (demo models live in resources/models).
std::filesystem::path resources_dir();
// tests/data of this project (checked-in fixtures and the scripts that made them; set by CTest).
std::filesystem::path test_data_dir();
// The dynamax CLI binary (set by CTest).
std::string dynamax_binary();
// Reads a whole file as bytes.
std::string read_file(const std::filesystem::path& path);
// Writes bytes to a file, creating parent folders.
void write_file(const std::filesystem::path& path, const std::string& bytes);

// What a run of the dynamax binary gave: exit code (−2 when it crashed, −1 when it timed out), stdout, stderr.
struct CliResult {
  int code = -1;
  QString out, err;
};
// Runs the dynamax binary with `args` and waits for it (`timeout_ms` at most, then kills it: code −1).
CliResult run_dynamax(const QStringList& args, int timeout_ms = 600'000);

}  // namespace testing_support

// Skips the current test with a clear message when ../shared is absent.
#define REQUIRE_SHARED()                                                                        \
  do {                                                                                          \
    if (testing_support::shared_dir().empty())                                                  \
      QSKIP("../shared not found: set DYNAMAX_SHARED to the shared/ folder to run this test");  \
  } while (0)
