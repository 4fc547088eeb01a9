#include "support/test_support.h"

#include <QProcess>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace testing_support {

namespace fs = std::filesystem;

static fs::path from_env(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? fs::path(value) : fs::path();
}

fs::path shared_dir() {
  for (const char* name : {"DYNAMAX_SHARED", "DYNAMAX_SHARED_DEFAULT"}) {
    fs::path p = from_env(name);
    if (!p.empty() && fs::exists(p / "fixtures")) return fs::canonical(p);
  }
  if (fs::exists("../shared/fixtures")) return fs::canonical("../shared");
  return {};
}

fs::path resources_dir() { return from_env("DYNAMAX_RESOURCES"); }

fs::path test_data_dir() { return from_env("DYNAMAX_TEST_DATA"); }

std::string dynamax_binary() { return from_env("DYNAMAX_BIN").string(); }

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const fs::path& path, const std::string& bytes) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

CliResult run_dynamax(const QStringList& args, int timeout_ms) {
  QProcess p;
  p.start(QString::fromStdString(dynamax_binary()), args);
  if (!p.waitForFinished(timeout_ms)) {
    p.kill();
    p.waitForFinished();
    return {};
  }
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace testing_support
