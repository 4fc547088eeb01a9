#pragma once
// Memory-mapped safetensors: single files and shard sets, zero-copy tensor views, strict validation.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dynamax {

enum class DType { BF16, F16, F32, I32, I64 };

const char* dtype_name(DType dtype);
size_t dtype_size(DType dtype);

// A tensor inside a mapped file; valid while its SafetensorsFile lives.
struct TensorView {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  const std::byte* data = nullptr;
  size_t nbytes = 0;
  std::filesystem::path file;

  int64_t numel() const;
  std::string shape_string() const;  // e.g. "[4096, 14336]"
};

class MappedFile;

// One .safetensors file, mapped read-only. Throws dynamax::Error naming the file on any defect.
class SafetensorsFile {
 public:
  static std::shared_ptr<SafetensorsFile> open(const std::filesystem::path& path);
  ~SafetensorsFile();

  const std::filesystem::path& path() const { return path_; }
  const std::map<std::string, TensorView>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const TensorView* find(const std::string& name) const;
  size_t file_size() const;

 private:
  SafetensorsFile() = default;
  std::filesystem::path path_;
  std::unique_ptr<MappedFile> mapping_;
  std::map<std::string, TensorView> tensors_;
  std::map<std::string, std::string> metadata_;
};

// All weights of a model folder: model.safetensors, or the shards named by model.safetensors.index.json.
class SafetensorsSet {
 public:
  static SafetensorsSet open_folder(const std::filesystem::path& folder);
  static SafetensorsSet open_file(const std::filesystem::path& file);
  // True when the folder holds model.safetensors or an index.
  static bool folder_has_weights(const std::filesystem::path& folder);

  const TensorView* find(const std::string& name) const;
  // The tensor, or an Error naming it; when `shape` is given it must match exactly.
  const TensorView& require(const std::string& name, const std::vector<int64_t>& shape = {}) const;
  std::vector<std::string> names() const;
  size_t bytes_on_disk() const;
  size_t tensor_count() const { return index_.size(); }
  const std::vector<std::shared_ptr<SafetensorsFile>>& files() const { return files_; }

 private:
  std::vector<std::shared_ptr<SafetensorsFile>> files_;
  std::map<std::string, const TensorView*> index_;
  std::filesystem::path origin_;
};

}  // namespace dynamax
