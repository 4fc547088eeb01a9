#include "core/io/safetensors_writer.h"

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/kernels/convert.h"

namespace dynamax {

template <class T>
static std::vector<std::byte> as_bytes(const std::vector<T>& values) {
  std::vector<std::byte> out(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

static void check_count(const std::vector<int64_t>& shape, size_t count) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  if (size_t(n) != count) throw Error("tensor data has " + std::to_string(count) + " values but its shape needs " + std::to_string(n));
}

TensorData TensorData::f32(std::vector<int64_t> shape, const std::vector<float>& values) {
  check_count(shape, values.size());
  return {DType::F32, std::move(shape), as_bytes(values)};
}

TensorData TensorData::bf16(std::vector<int64_t> shape, const std::vector<float>& values) {
  check_count(shape, values.size());
  std::vector<uint16_t> bits(values.size());
  for (size_t i = 0; i < values.size(); ++i) bits[i] = f32_to_bf16_round(values[i]);
  return {DType::BF16, std::move(shape), as_bytes(bits)};
}

TensorData TensorData::i32(std::vector<int64_t> shape, const std::vector<int32_t>& values) {
  check_count(shape, values.size());
  return {DType::I32, std::move(shape), as_bytes(values)};
}

std::string safetensors_bytes(const std::map<std::string, TensorData>& tensors,
                              const std::map<std::string, std::string>& metadata) {
  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  size_t offset = 0;
  for (auto& [name, t] : tensors) {
    header[name] = {{"dtype", dtype_name(t.dtype)}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.bytes.size()}}};
    offset += t.bytes.size();
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // keeps the data section 8-byte aligned
  std::string out(8, '\0');
  const uint64_t len = text.size();
  std::memcpy(out.data(), &len, 8);
  out += text;
  out.reserve(out.size() + offset);
  for (auto& [name, t] : tensors) out.append(reinterpret_cast<const char*>(t.bytes.data()), t.bytes.size());
  return out;
}

void write_safetensors(const std::filesystem::path& path, const std::map<std::string, TensorData>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  const std::string bytes = safetensors_bytes(tensors, metadata);
  const std::filesystem::path tmp = path.string() + ".partial";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path.string() + ": cannot write");
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) throw Error(path.string() + ": write failed (disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw Error(path.string() + ": cannot move the finished file into place (" + ec.message() + ")");
}

}  // namespace dynamax
