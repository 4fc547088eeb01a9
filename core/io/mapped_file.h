#pragma once
// A read-only memory mapping of a whole file (POSIX mmap), released on destruction.
#include <cstddef>
#include <filesystem>

namespace dynamax {

class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path);  // throws dynamax::Error
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::byte* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace dynamax
