#pragma once
// Whether a workspace may be written, judged from the file system before SQLite is asked: read-only media, no write
// permission, or a file whose mode lets nobody write it (respected even for root, who could write it anyway).
#include <filesystem>
#include <string>

namespace dynamax {

// Empty when the workspace (or, when it does not exist yet, its folder) can be written; else why not, in words.
std::string read_only_reason(const std::filesystem::path& path);

}  // namespace dynamax
