#include "storage/process_identity.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <fstream>
#include <sstream>

namespace dynamax {

static std::string boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  in >> id;
  return id;
}

// Field 22 of /proc/<pid>/stat; the command name (field 2) is in parentheses and may hold spaces or ')'.
static std::string start_time(int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return {};
  const size_t name_end = line.rfind(')');
  if (name_end == std::string::npos) return {};
  std::istringstream fields(line.substr(name_end + 1));
  std::string field;
  for (int i = 3; i <= 22; ++i)
    if (!(fields >> field)) return {};
  return field;
}

std::string process_identity(int64_t pid) {
  if (pid <= 0) return {};
  const std::string start = start_time(pid);
  return start.empty() ? std::string() : boot_id() + " " + std::to_string(pid) + " " + start;
}

std::string own_process_identity() { return process_identity(getpid()); }

bool owner_alive(int64_t pid, const std::string& owner) {
  if (pid <= 0 || pid > INT32_MAX) return false;  // kill(-1, 0) would ask about every process
  if (!owner.empty()) return process_identity(pid) == owner;
  return kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

}  // namespace dynamax
