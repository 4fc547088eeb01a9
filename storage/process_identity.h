#pragma once
// Who owns a running run: a pid alone is reused by the system for other processes, so the owner is named by the
// boot, the pid and the process's start time (Linux /proc), which together never repeat.
#include <cstdint>
#include <string>

namespace dynamax {

// "<boot id> <pid> <start time in clock ticks>"; empty when the process does not exist (or /proc cannot tell).
std::string process_identity(int64_t pid);
// The identity of this process.
std::string own_process_identity();
// True while the process that wrote `owner` (and `pid`) still runs. An empty owner (a run written before owners
// were recorded) falls back to whether any process has that pid.
bool owner_alive(int64_t pid, const std::string& owner);

}  // namespace dynamax
