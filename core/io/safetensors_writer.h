#pragma once
// Writes safetensors files: tensors given as raw bytes in a dtype, plus string metadata.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/io/safetensors.h"

namespace dynamax {

struct TensorData {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<std::byte> bytes;  // numel × dtype_size bytes, little-endian

  static TensorData f32(std::vector<int64_t> shape, const std::vector<float>& values);
  static TensorData bf16(std::vector<int64_t> shape, const std::vector<float>& values);  // rounds to nearest even
  static TensorData i32(std::vector<int64_t> shape, const std::vector<int32_t>& values);
};

// Serialises tensors (sorted by name, 8-byte aligned header) into the safetensors byte layout.
std::string safetensors_bytes(const std::map<std::string, TensorData>& tensors,
                              const std::map<std::string, std::string>& metadata = {});
// Writes a file atomically (temporary file + rename); throws dynamax::Error on failure.
void write_safetensors(const std::filesystem::path& path, const std::map<std::string, TensorData>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

}  // namespace dynamax
