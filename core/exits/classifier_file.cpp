#include "core/exits/classifier_file.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/common/error.h"
#include "core/io/json_limits.h"
#include "core/io/safetensors.h"
#include "core/io/safetensors_writer.h"

namespace dynamax {

static constexpr const char* kMetadataKey = "dynamax_classifier";
static constexpr int kFormatVersion = 1;

static std::string tensor_name(int depth, const ParamSlot& slot) {
  return "exit" + std::to_string(depth) + "." + slot.name;
}

static std::map<std::string, TensorData> tensors_of(const ExitClassifier& c) {
  std::map<std::string, TensorData> tensors;
  for (size_t e = 0; e < c.depths().size(); ++e)
    for (const ParamSlot& slot : c.net().layout().entries()) {
      const float* w = c.weights()[e].data() + slot.offset;
      tensors[tensor_name(c.depths()[e], slot)] = TensorData::f32(slot.shape, std::vector<float>(w, w + slot.size));
    }
  return tensors;
}

static std::map<std::string, std::string> metadata_of(const ExitClassifier& c) {
  const nlohmann::json description = {
      {"version", kFormatVersion}, {"name", c.name()}, {"classifier", c.spec().to_json()}, {"depths", c.depths()},
      {"model", {{"hidden_size", c.spec().width}, {"depths", c.model_depths()}}},
      {"parameters_per_exit", c.parameters_per_exit()}, {"flops_per_token", c.flops_per_token()},
      {"record", c.record}};
  return {{kMetadataKey, description.dump()}};
}

std::string classifier_file_bytes(const ExitClassifier& c) { return safetensors_bytes(tensors_of(c), metadata_of(c)); }

void save_classifier(const std::filesystem::path& path, const ExitClassifier& c) {
  write_safetensors(path, tensors_of(c), metadata_of(c));
}

std::unique_ptr<ExitClassifier> load_classifier(const std::filesystem::path& path) {
  const std::string where = path.string() + ": ";
  const auto file = SafetensorsFile::open(path);
  const auto meta = file->metadata().find(kMetadataKey);
  if (meta == file->metadata().end()) throw Error(where + "not an exit classifier file (no '" + kMetadataKey + "' metadata)");
  std::unique_ptr<ExitClassifier> c;
  try {
    const nlohmann::json d = parse_json_file_text(meta->second, std::string("metadata '") + kMetadataKey + "'");
    if (d.at("version").get<int>() != kFormatVersion)
      throw Error("classifier format version " + json_excerpt(d.at("version")) + " is not supported");
    const ClassifierSpec spec = ClassifierSpec::from_json(d.at("classifier"));
    if (d.at("model").at("hidden_size").get<int>() != spec.width) throw Error("the model width and the classifier width differ");
    c = std::make_unique<ExitClassifier>(d.at("name").get<std::string>(), spec, d.at("depths").get<std::vector<int>>(),
                                         d.at("model").at("depths").get<int>(), 0);
    c->record = d.value("record", nlohmann::json::object());
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + "bad classifier metadata: " + json_exception_reason(e));
  } catch (const Error& e) {
    throw Error(where + e.what());
  }
  size_t expected = 0;
  for (size_t e = 0; e < c->depths().size(); ++e)
    for (const ParamSlot& slot : c->net().layout().entries()) {
      const std::string name = tensor_name(c->depths()[e], slot);
      const TensorView* t = file->find(name);
      if (!t) throw Error(where + "tensor '" + name + "' is missing");
      if (t->dtype != DType::F32 || t->shape != slot.shape)
        throw Error(where + "tensor '" + name + "' is " + dtype_name(t->dtype) + " " + t->shape_string() +
                    ", expected F32 of the classifier's shape");
      float* weights = c->weights()[e].data() + slot.offset;
      std::memcpy(weights, t->data, slot.size * sizeof(float));
      if (!std::all_of(weights, weights + slot.size, [](float w) { return std::isfinite(w); }))
        throw Error(where + "tensor '" + name + "' holds NaN or infinity");
      ++expected;
    }
  if (file->tensors().size() != expected)
    throw Error(where + "holds " + std::to_string(file->tensors().size()) + " tensors, expected " + std::to_string(expected));
  return c;
}

void check_classifier_fits(const ExitClassifier& c, int hidden_size, int depths, const std::string& model) {
  if (c.spec().width != hidden_size || c.model_depths() != depths)
    throw Error("classifier '" + c.name() + "' was trained for a model of width " + std::to_string(c.spec().width) +
                " with " + std::to_string(c.model_depths()) + " blocks; " + model + " has width " +
                std::to_string(hidden_size) + " and " + std::to_string(depths) + " blocks");
}

}  // namespace dynamax
