#include "core/exits/classifier_spec.h"

#include "core/common/error.h"

namespace dynamax {

const char* classifier_kind_name(ClassifierKind kind) {
  switch (kind) {
    case ClassifierKind::Linear: return "linear";
    case ClassifierKind::Ffn: return "ffn";
    case ClassifierKind::Mamba: return "mamba";
  }
  return "?";
}

ClassifierKind parse_classifier_kind(const std::string& name) {
  if (name == "linear") return ClassifierKind::Linear;
  if (name == "ffn") return ClassifierKind::Ffn;
  if (name == "mamba") return ClassifierKind::Mamba;
  throw Error("unknown classifier kind '" + name + "'; valid: linear, ffn, mamba");
}

const char* classifier_input_name(ClassifierInput input) { return input == ClassifierInput::Raw ? "raw" : "rms"; }

ClassifierInput parse_classifier_input(const std::string& name) {
  if (name == "rms") return ClassifierInput::Rms;
  if (name == "raw") return ClassifierInput::Raw;
  throw Error("unknown classifier input '" + name + "'; valid: rms, raw");
}

nlohmann::json ClassifierSpec::to_json() const {
  nlohmann::json j = {{"kind", classifier_kind_name(kind)}, {"width", width}, {"input", classifier_input_name(input)}};
  if (kind == ClassifierKind::Ffn) {
    j["ffn_width"] = ffn_width;
    j["activation"] = activation_name(activation);
  } else if (kind == ClassifierKind::Mamba) {
    j["inner"] = mamba_inner;
    j["heads"] = mamba_heads;
    j["state"] = mamba_state;
    j["conv"] = mamba_conv;
  }
  return j;
}

ClassifierSpec ClassifierSpec::from_json(const nlohmann::json& j) {
  try {
    ClassifierSpec s;
    s.kind = parse_classifier_kind(j.at("kind").get<std::string>());
    s.width = j.at("width").get<int>();
    s.input = parse_classifier_input(j.value("input", std::string("rms")));  // files before the choice: rms
    if (s.kind == ClassifierKind::Ffn) {
      s.ffn_width = j.at("ffn_width").get<int>();
      s.activation = parse_activation(j.at("activation").get<std::string>());
    } else if (s.kind == ClassifierKind::Mamba) {
      s.mamba_inner = j.at("inner").get<int>();
      s.mamba_heads = j.at("heads").get<int>();
      s.mamba_state = j.at("state").get<int>();
      s.mamba_conv = j.at("conv").get<int>();
    }
    s.validate();
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("classifier sizes: ") + e.what());
  }
}

void ClassifierSpec::validate() const {
  auto positive = [](int v, const char* what) {
    if (v < 1 || v > (1 << 20)) throw Error(std::string("classifier ") + what + " " + std::to_string(v) + " is out of range");
  };
  positive(width, "input width");
  if (kind == ClassifierKind::Ffn) positive(ffn_width, "ffn width");
  if (kind == ClassifierKind::Mamba) {
    positive(mamba_inner, "mamba inner width");
    positive(mamba_heads, "mamba heads");
    positive(mamba_state, "mamba state size");
    positive(mamba_conv, "mamba conv kernel");
    if (mamba_inner % mamba_heads != 0)
      throw Error("mamba inner width " + std::to_string(mamba_inner) + " is not a multiple of the heads (" +
                  std::to_string(mamba_heads) + ")");
  }
}

}  // namespace dynamax
