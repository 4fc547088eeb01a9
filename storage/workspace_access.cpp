#include "storage/workspace_access.h"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace dynamax {

std::string read_only_reason(const std::filesystem::path& path) {
  const std::filesystem::path absolute = std::filesystem::absolute(path);
  std::filesystem::path folder = absolute.parent_path();  // or, where it is still to be made, its nearest ancestor
  std::error_code ec;
  while (!std::filesystem::exists(folder, ec) && folder.has_relative_path()) folder = folder.parent_path();
  struct statvfs fs {};
  if (statvfs(folder.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY)) return "read-only media";
  struct stat file {};
  if (stat(absolute.c_str(), &file) == 0) {
    if ((file.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0) return "the file's mode lets nobody write it";
    if (access(absolute.c_str(), W_OK) != 0) return "no permission to write the file";
  }
  // SQLite writes its journal and WAL files next to the workspace.
  if (access(folder.c_str(), W_OK) != 0) return "no permission to write in its folder";
  return {};
}

}  // namespace dynamax
