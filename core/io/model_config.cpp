#include "core/io/model_config.h"

#include <cmath>

#include "core/common/error.h"
#include "core/io/lenient_json.h"

namespace dynamax {

namespace fs = std::filesystem;
using nlohmann::json;

const char* architecture_name(Architecture arch) {
  switch (arch) {
    case Architecture::Mistral: return "MistralForCausalLM";
    case Architecture::Llama: return "LlamaForCausalLM";
    case Architecture::Mamba2: return "Mamba2ForCausalLM";
  }
  return "?";
}

namespace {

// Joins message parts; avoids `"literal" + std::string&&`, which GCC 12 misreports under -Wrestrict.
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::string out;
  (out.append(parts), ...);
  return out;
}

// Field access with the config's name in every message.
class Fields {
 public:
  Fields(const json& j, std::string source) : j_(j), source_(std::move(source)) {}

  bool has(const char* key) const { return j_.contains(key) && !j_[key].is_null(); }

  [[noreturn]] void fail(const std::string& key, const std::string& why) const {
    throw Error(source_ + ": field '" + key + "' " + why);
  }

  int integer(const char* key, std::optional<int> fallback = std::nullopt) const {
    if (!has(key)) {
      if (fallback) return *fallback;
      fail(key, "is required but missing");
    }
    const json& v = j_[key];
    if (!v.is_number_integer()) fail(key, "must be an integer, found " + v.dump());
    return v.get<int>();
  }

  int positive(const char* key, std::optional<int> fallback = std::nullopt) const {
    int v = integer(key, fallback);
    if (v <= 0) fail(key, concat("must be positive, found ", std::to_string(v)));
    return v;
  }

  double number(const char* key, double fallback) const {
    return has(key) ? json_to_double(j_[key], source_ + ": field '" + std::string(key) + "'") : fallback;
  }

  bool boolean(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!j_[key].is_boolean()) fail(key, "must be true or false, found " + j_[key].dump());
    return j_[key].get<bool>();
  }

  const json& raw() const { return j_; }
  const std::string& source() const { return source_; }

 private:
  const json& j_;
  std::string source_;
};

Architecture detect_architecture(const Fields& f) {
  const json& j = f.raw();
  std::string name;
  if (j.contains("architectures") && j["architectures"].is_array() && !j["architectures"].empty() &&
      j["architectures"][0].is_string())
    name = j["architectures"][0].get<std::string>();
  const std::string type = j.value("model_type", std::string());
  if (name == "MistralForCausalLM" || (name.empty() && type == "mistral")) return Architecture::Mistral;
  if (name == "LlamaForCausalLM" || (name.empty() && type == "llama")) return Architecture::Llama;
  if (name == "Mamba2ForCausalLM" || (name.empty() && type == "mamba2")) return Architecture::Mamba2;
  f.fail("architectures", "names '" + (name.empty() ? type : name) +
                              "', which is not supported (MistralForCausalLM, LlamaForCausalLM, Mamba2ForCausalLM)");
}

void parse_transformer(const Fields& f, ModelConfig& c) {
  TransformerConfig& t = c.transformer;
  t.num_heads = f.positive("num_attention_heads");
  t.num_kv_heads = f.positive("num_key_value_heads", t.num_heads);
  if (t.num_heads % t.num_kv_heads != 0)
    f.fail("num_key_value_heads", concat("(", std::to_string(t.num_kv_heads), ") must divide num_attention_heads (",
                                         std::to_string(t.num_heads), ")"));
  if (!f.has("head_dim") && c.hidden_size % t.num_heads != 0)
    f.fail("hidden_size", "must be divisible by num_attention_heads when head_dim is not given");
  t.head_dim = f.positive("head_dim", c.hidden_size / t.num_heads);
  if (t.head_dim % 2 != 0) f.fail("head_dim", "must be even for rotary embeddings");
  t.intermediate_size = f.positive("intermediate_size");
  t.max_position_embeddings = f.positive("max_position_embeddings", c.arch == Architecture::Llama ? 2048 : 131072);
  // transformers 5 moved rope_theta into rope_parameters; older configs keep it at the top level.
  const json& j = f.raw();
  if (j.contains("rope_parameters") && j["rope_parameters"].is_object() && j["rope_parameters"].contains("rope_theta"))
    t.rope_theta = json_to_double(j["rope_parameters"]["rope_theta"], f.source() + ": field 'rope_parameters.rope_theta'");
  else
    t.rope_theta = f.number("rope_theta", 10000.0);
  if (!(t.rope_theta > 0)) f.fail("rope_theta", "must be positive");
  if (j.contains("rope_scaling") && !j["rope_scaling"].is_null())
    f.fail("rope_scaling", "is set; scaled RoPE variants are not supported");
  if (c.arch == Architecture::Mistral && f.has("sliding_window")) t.sliding_window = f.positive("sliding_window");
  c.norm_eps = f.number("rms_norm_eps", 1e-6);
  c.tie_word_embeddings = f.boolean("tie_word_embeddings", false);
}

void parse_mamba2(const Fields& f, ModelConfig& c) {
  Mamba2Config& m = c.mamba2;
  m.expand = f.positive("expand", 2);
  m.num_heads = f.positive("num_heads", 128);
  m.head_dim = f.positive("head_dim", 64);
  m.n_groups = f.positive("n_groups", 8);
  m.state_size = f.positive("state_size", 128);
  m.conv_kernel = f.positive("conv_kernel", 4);
  m.chunk_size = f.positive("chunk_size", 256);
  m.use_bias = f.boolean("use_bias", false);
  m.use_conv_bias = f.boolean("use_conv_bias", true);
  m.d_inner = m.num_heads * m.head_dim;
  if (m.d_inner != m.expand * c.hidden_size)
    f.fail("num_heads", concat("× head_dim (", std::to_string(m.d_inner), ") must equal expand × hidden_size (",
                               std::to_string(m.expand * c.hidden_size), ")"));
  if (m.num_heads % m.n_groups != 0)
    f.fail("n_groups", concat("(", std::to_string(m.n_groups), ") must divide num_heads (", std::to_string(m.num_heads), ")"));
  m.time_step_min = 0.0;
  m.time_step_max = INFINITY;
  const json& j = f.raw();
  if (j.contains("time_step_limit") && !j["time_step_limit"].is_null()) {
    const json& lim = j["time_step_limit"];
    if (!lim.is_array() || lim.size() != 2) f.fail("time_step_limit", "must be a pair [min, max]");
    m.time_step_min = json_to_double(lim[0], f.source() + ": field 'time_step_limit[0]'");
    m.time_step_max = json_to_double(lim[1], f.source() + ": field 'time_step_limit[1]'");
    if (!(m.time_step_min <= m.time_step_max)) f.fail("time_step_limit", "must have min <= max");
  }
  if (!f.boolean("rms_norm", true)) f.fail("rms_norm", "is false; only RMSNorm Mamba2 models are supported");
  c.norm_eps = f.number("layer_norm_epsilon", 1e-5);
  c.tie_word_embeddings = f.boolean("tie_word_embeddings", false);
}

}  // namespace

int64_t ModelConfig::parameter_count() const {
  const int64_t h = hidden_size, v = vocab_size;
  int64_t block = 0;
  if (is_transformer()) {
    const TransformerConfig& t = transformer;
    const int64_t q = int64_t(t.num_heads) * t.head_dim, kv = int64_t(t.num_kv_heads) * t.head_dim;
    block = h * q + 2 * h * kv + q * h + 3 * h * t.intermediate_size + 2 * h;
  } else {
    const Mamba2Config& m = mamba2;
    block = h * m.in_proj_dim() + int64_t(m.conv_dim()) * m.conv_kernel + int64_t(m.d_inner) * h + 3 * m.num_heads +
            m.d_inner + h;
    if (m.use_conv_bias) block += m.conv_dim();
    if (m.use_bias) block += m.in_proj_dim() + h;
  }
  return v * h + num_layers * block + h + (tie_word_embeddings ? 0 : v * h);
}

ModelConfig parse_model_config(const json& j, const std::string& source) {
  if (!j.is_object()) throw Error(source + ": not a JSON object");
  Fields f(j, source);
  ModelConfig c;
  c.arch = detect_architecture(f);
  c.model_type = j.value("model_type", std::string());
  c.hidden_size = f.positive("hidden_size");
  c.num_layers = f.positive("num_hidden_layers");
  c.vocab_size = f.positive("vocab_size");
  c.bos_token_id = f.integer("bos_token_id", 1);
  c.eos_token_id = f.has("eos_token_id") && f.raw()["eos_token_id"].is_array() ? f.raw()["eos_token_id"][0].get<int>()
                                                                                : f.integer("eos_token_id", 2);
  c.torch_dtype = j.contains("torch_dtype") && j["torch_dtype"].is_string() ? j["torch_dtype"].get<std::string>()
                  : j.contains("dtype") && j["dtype"].is_string()           ? j["dtype"].get<std::string>()
                                                                           : std::string();
  if (c.is_transformer()) parse_transformer(f, c);
  else parse_mamba2(f, c);
  if (!(c.norm_eps > 0)) f.fail(c.is_transformer() ? "rms_norm_eps" : "layer_norm_epsilon", "must be positive");
  return c;
}

ModelConfig load_model_config(const fs::path& folder_or_file) {
  const fs::path path = fs::is_directory(folder_or_file) ? folder_or_file / "config.json" : folder_or_file;
  if (!fs::exists(path)) throw Error(path.string() + ": missing (a model folder needs config.json)");
  return parse_model_config(read_lenient_json(path), path.string());
}

}  // namespace dynamax
