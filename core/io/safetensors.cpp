#include "core/io/safetensors.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/common/error.h"
#include "core/io/json_limits.h"
#include "core/io/mapped_file.h"

namespace dynamax {

namespace fs = std::filesystem;
using nlohmann::json;

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::BF16: return "BF16";
    case DType::F16: return "F16";
    case DType::F32: return "F32";
    case DType::I32: return "I32";
    case DType::I64: return "I64";
  }
  return "?";
}

size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::BF16:
    case DType::F16: return 2;
    case DType::F32:
    case DType::I32: return 4;
    case DType::I64: return 8;
  }
  return 0;
}

static bool parse_dtype(const std::string& s, DType& out) {
  static const std::pair<const char*, DType> known[] = {
      {"BF16", DType::BF16}, {"F16", DType::F16}, {"F32", DType::F32}, {"I32", DType::I32}, {"I64", DType::I64}};
  for (auto& [name, dtype] : known)
    if (s == name) {
      out = dtype;
      return true;
    }
  return false;
}

int64_t TensorView::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string TensorView::shape_string() const {
  std::ostringstream s;
  s << '[';
  for (size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
  s << ']';
  return s.str();
}

// Largest header we accept; real headers are well under a megabyte.
static constexpr uint64_t kMaxHeaderBytes = 100ull << 20;

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const fs::path& path) {
  std::shared_ptr<SafetensorsFile> file(new SafetensorsFile());
  file->path_ = path;
  file->mapping_ = std::make_unique<MappedFile>(path);
  const std::string where = path.string() + ": ";
  const std::byte* base = file->mapping_->data();
  const size_t size = file->mapping_->size();
  if (size < 8) throw Error(where + "truncated file (" + std::to_string(size) + " bytes, the 8-byte header length is missing)");
  uint64_t header_len = 0;
  std::memcpy(&header_len, base, 8);  // little-endian on every platform we build for
  if (header_len > size - 8 || header_len > kMaxHeaderBytes)
    throw Error(where + "header length " + std::to_string(header_len) + " runs past the end of the file (" +
                std::to_string(size) + " bytes)");
  const std::string_view header_text(reinterpret_cast<const char*>(base) + 8, header_len);
  if (find_excess_json_nesting(header_text) != std::string_view::npos)
    throw Error(where + "header nests JSON deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  json header;
  try {
    header = json::parse(header_text);
  } catch (const json::exception& e) {
    throw Error(where + "header is not valid JSON (" + json_exception_reason(e) + ")");
  }
  if (!header.is_object()) throw Error(where + "header is not a JSON object");
  const std::byte* data = base + 8 + header_len;
  const uint64_t data_size = size - 8 - header_len;

  struct Range { uint64_t begin, end; std::string name; };
  std::vector<Range> ranges;
  for (auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) throw Error(where + "__metadata__ is not an object");
      for (auto& [key, value] : entry.items()) {
        if (!value.is_string())  // the format's metadata maps strings to strings
          throw Error(where + "__metadata__ value '" + text_excerpt(key) + "' is not a string (found " + json_excerpt(value) + ")");
        file->metadata_[key] = value.get<std::string>();
      }
      continue;
    }
    const std::string what = where + "tensor '" + text_excerpt(name) + "': ";
    if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") || !entry.contains("data_offsets"))
      throw Error(what + "entry needs dtype, shape and data_offsets");
    TensorView view;
    view.name = name;
    view.file = path;
    if (!entry["dtype"].is_string() || !parse_dtype(entry["dtype"].get<std::string>(), view.dtype))
      throw Error(what + "unsupported dtype " + json_excerpt(entry["dtype"]) + " (supported: BF16, F16, F32, I32, I64)");
    const json& shape = entry["shape"];
    if (!shape.is_array()) throw Error(what + "shape is not an array");
    uint64_t numel = 1;
    for (const json& d : shape) {
      if (!d.is_number_integer() || d.get<int64_t>() < 0) throw Error(what + "shape has a negative or non-integer size");
      uint64_t dim = d.get<uint64_t>();
      if (dim != 0 && numel > std::numeric_limits<uint64_t>::max() / dim / 8) throw Error(what + "shape overflows");
      numel *= dim;
      view.shape.push_back(static_cast<int64_t>(dim));
    }
    const json& offsets = entry["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
      throw Error(what + "data_offsets must be two non-negative integers");
    uint64_t begin = offsets[0].get<uint64_t>(), end = offsets[1].get<uint64_t>();
    if (begin > end || end > data_size)
      throw Error(what + "byte range [" + std::to_string(begin) + ", " + std::to_string(end) +
                  ") lies outside the data section (" + std::to_string(data_size) + " bytes)");
    const uint64_t expected = numel * dtype_size(view.dtype);
    if (end - begin != expected)
      throw Error(what + "holds " + std::to_string(end - begin) + " bytes but shape " + view.shape_string() + " of " +
                  dtype_name(view.dtype) + " needs " + std::to_string(expected));
    view.data = data + begin;
    view.nbytes = static_cast<size_t>(expected);
    ranges.push_back({begin, end, name});
    file->tensors_.emplace(name, std::move(view));
  }
  // Empty tensors occupy no bytes and are left out, so one sorted between two others cannot hide their overlap.
  std::erase_if(ranges, [](const Range& r) { return r.begin == r.end; });
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.begin < b.begin; });
  for (size_t i = 1; i < ranges.size(); ++i)
    if (ranges[i].begin < ranges[i - 1].end)
      throw Error(where + "tensors '" + text_excerpt(ranges[i - 1].name) + "' and '" + text_excerpt(ranges[i].name) +
                  "' overlap");
  return file;
}

SafetensorsFile::~SafetensorsFile() = default;

const TensorView* SafetensorsFile::find(const std::string& name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

size_t SafetensorsFile::file_size() const { return mapping_->size(); }

static const char* kSingleFile = "model.safetensors";
static const char* kIndexFile = "model.safetensors.index.json";

bool SafetensorsSet::folder_has_weights(const fs::path& folder) {
  return fs::exists(folder / kSingleFile) || fs::exists(folder / kIndexFile);
}

SafetensorsSet SafetensorsSet::open_file(const fs::path& file) {
  SafetensorsSet set;
  set.origin_ = file;
  set.files_.push_back(SafetensorsFile::open(file));
  for (auto& [name, view] : set.files_.back()->tensors()) set.index_[name] = &view;
  return set;
}

SafetensorsSet SafetensorsSet::open_folder(const fs::path& folder) {
  if (fs::exists(folder / kIndexFile)) {
    const fs::path index_path = folder / kIndexFile;
    const std::string where = index_path.string() + ": ";
    std::ifstream in(index_path, std::ios::binary);
    if (!in) throw Error(where + "cannot read");
    std::ostringstream text;
    text << in.rdbuf();
    const json index = parse_json_file_text(text.str(), index_path.string());
    if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
      throw Error(where + "has no weight_map object");
    std::map<std::string, std::shared_ptr<SafetensorsFile>> shards;
    for (auto& [name, shard] : index["weight_map"].items()) {
      if (!shard.is_string()) throw Error(where + "weight_map entry '" + name + "' is not a file name");
      const std::string shard_name = shard.get<std::string>();
      if (shard_name.find('/') != std::string::npos || shard_name == ".." )
        throw Error(where + "shard name '" + shard_name + "' must be a file in the same folder");
      if (!shards.count(shard_name)) {
        if (!fs::exists(folder / shard_name))
          throw Error(where + "names shard '" + shard_name + "', which is missing from " + folder.string());
        shards[shard_name] = SafetensorsFile::open(folder / shard_name);
      }
    }
    SafetensorsSet set;
    set.origin_ = folder;
    for (auto& [shard_name, file] : shards) {
      set.files_.push_back(file);
      for (auto& [name, view] : file->tensors()) set.index_[name] = &view;
    }
    for (auto& [name, shard] : index["weight_map"].items())
      if (!shards[shard.get<std::string>()]->find(name))
        throw Error(where + "tensor '" + name + "' is not in its shard " + shard.get<std::string>());
    return set;
  }
  if (fs::exists(folder / kSingleFile)) return open_file(folder / kSingleFile);
  throw Error(folder.string() + ": no weights (neither " + kSingleFile + " nor " + kIndexFile + ")");
}

const TensorView* SafetensorsSet::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : it->second;
}

const TensorView& SafetensorsSet::require(const std::string& name, const std::vector<int64_t>& shape) const {
  const TensorView* view = find(name);
  if (!view) throw Error(origin_.string() + ": missing tensor '" + name + "'");
  if (!shape.empty() && view->shape != shape) {
    TensorView expected;
    expected.shape = shape;
    throw Error(origin_.string() + ": tensor '" + name + "' has shape " + view->shape_string() + ", expected " +
                expected.shape_string());
  }
  return *view;
}

std::vector<std::string> SafetensorsSet::names() const {
  std::vector<std::string> out;
  for (auto& [name, view] : index_) out.push_back(name);
  return out;
}

size_t SafetensorsSet::bytes_on_disk() const {
  size_t total = 0;
  for (auto& file : files_) total += file->file_size();
  return total;
}

}  // namespace dynamax
