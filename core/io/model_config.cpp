#include "core/io/model_config.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/io/json_limits.h"
#include "core/io/lenient_json.h"

namespace dynamax {

namespace fs = std::filesystem;
using nlohmann::json;

const char* architecture_name(Architecture arch) {
  switch (arch) {
    case Architecture::Mistral: return "MistralForCausalLM";
    case Architecture::Llama: return "LlamaForCausalLM";
    case Architecture::Qwen2: return "Qwen2ForCausalLM";
    case Architecture::Mamba2: return "Mamba2ForCausalLM";
    case Architecture::Mamba: return "MambaForCausalLM";
    case Architecture::FalconMamba: return "FalconMambaForCausalLM";
  }
  return "?";
}

const char* rope_type_name(RopeType type) {
  switch (type) {
    case RopeType::Default: return "default";
    case RopeType::Linear: return "linear";
    case RopeType::Llama3: return "llama3";
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

// Field access with the config's name in every message. Integers are read as 64-bit and range-checked, so a
// value past INT_MAX is refused rather than truncated.
class Fields {
 public:
  Fields(const json& j, std::string source) : j_(j), source_(std::move(source)) {}

  bool has(const char* key) const { return j_.contains(key) && !j_[key].is_null(); }

  [[noreturn]] void fail(const std::string& key, const std::string& why) const {
    throw Error(source_ + ": field '" + key + "' " + why);
  }

  // An integer in [min, max]; `v` is the value of `key` (or an item of it).
  int in_range(const std::string& key, const json& v, int64_t min, int64_t max) const {
    if (!v.is_number_integer()) fail(key, "must be an integer, found " + json_excerpt(v));
    if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(max))
      fail(key, concat("must be at most ", std::to_string(max), ", found ", v.dump()));
    const int64_t x = v.get<int64_t>();
    if (x < min || x > max)
      fail(key, min == 1 && x < 1 ? concat("must be positive, found ", std::to_string(x))
                                  : concat("must be from ", std::to_string(min), " to ", std::to_string(max),
                                           ", found ", std::to_string(x)));
    return int(x);
  }

  int integer(const char* key, std::optional<int> fallback = std::nullopt, int64_t min = 0,
              int64_t max = std::numeric_limits<int32_t>::max()) const {
    if (!has(key)) {
      if (fallback) return *fallback;
      fail(key, "is required but missing");
    }
    return in_range(key, j_[key], min, max);
  }

  int positive(const char* key, std::optional<int> fallback = std::nullopt) const { return integer(key, fallback, 1); }

  // A token id, or a list of them (the first is taken), as generation configs write eos_token_id.
  int token_id(const char* key, int fallback) const {
    if (!has(key)) return fallback;
    const json& v = j_[key];
    if (!v.is_array()) return integer(key, fallback);
    if (v.empty()) fail(key, "is an empty list; it needs at least one token id");
    for (std::size_t i = 0; i < v.size(); ++i) in_range(concat(key, "[", std::to_string(i), "]"), v[i], 0,
                                                        std::numeric_limits<int32_t>::max());
    return v[0].get<int>();
  }

  // A finite number (a size or rate: infinity or NaN in it means a broken file).
  double finite(const char* key, double fallback) const {
    return has(key) ? finite_value(key, j_[key]) : fallback;
  }
  double finite_value(const std::string& key, const json& v) const {
    const double x = json_to_double(v, source_ + ": field '" + key + "'");
    if (!std::isfinite(x)) fail(key, concat("must be a finite number, found ", std::isnan(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity"));
    return x;
  }

  bool boolean(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!j_[key].is_boolean()) fail(key, "must be true or false, found " + json_excerpt(j_[key]));
    return j_[key].get<bool>();
  }

  std::string text(const char* key) const {
    if (!has(key)) return {};
    if (!j_[key].is_string()) fail(key, "must be a string, found " + json_excerpt(j_[key]));
    return j_[key].get<std::string>();
  }

  // a * b (+ c), refused when past what an int holds: the engine indexes with int within a block.
  int product(const char* key, int64_t a, int64_t b, int64_t c = 0) const {
    const int64_t p = a * b + c;  // each factor is below 2^31, so this cannot overflow int64
    if (p > std::numeric_limits<int32_t>::max())
      fail(key, concat("gives a size of ", std::to_string(p), ", more than this engine supports (2^31 - 1)"));
    return int(p);
  }

  const json& raw() const { return j_; }
  const std::string& source() const { return source_; }

 private:
  const json& j_;
  std::string source_;
};

// The architectures the engine runs, each with the model_type that names it in a config without `architectures`.
struct SupportedArchitecture {
  Architecture arch;
  const char* model_type;
};
constexpr SupportedArchitecture kSupportedArchitectures[] = {
    {Architecture::Mistral, "mistral"},
    {Architecture::Llama, "llama"},
    {Architecture::Qwen2, "qwen2"},
    {Architecture::Mamba2, "mamba2"},
    {Architecture::Mamba, "mamba"},
    {Architecture::FalconMamba, "falcon_mamba"},
};

Architecture detect_architecture(const Fields& f) {
  const json& j = f.raw();
  std::string name;
  if (j.contains("architectures") && j["architectures"].is_array() && !j["architectures"].empty() &&
      j["architectures"][0].is_string())
    name = j["architectures"][0].get<std::string>();
  const std::string type = f.text("model_type");
  for (const SupportedArchitecture& a : kSupportedArchitectures)
    if (name == architecture_name(a.arch) || (name.empty() && type == a.model_type)) return a.arch;
  f.fail("architectures", "names " + json_excerpt(json(name.empty() ? type : name)) + ", which is not supported (" +
                              supported_architectures() + ")");
}

// RoPE: transformers 5 writes rope_parameters {rope_type, rope_theta, scaling keys}; transformers 4 writes rope_theta
// at the top level and rope_scaling {rope_type (or its older name type), scaling keys}.
void parse_rope(const Fields& f, TransformerConfig& t) {
  const json& j = f.raw();
  const char* where = f.has("rope_parameters") ? "rope_parameters" : f.has("rope_scaling") ? "rope_scaling" : nullptr;
  const json* p = where ? &j[where] : nullptr;
  if (p && !p->is_object()) f.fail(where, "must be an object, found " + json_excerpt(*p));
  const auto key = [&](const char* name) { return concat(where, ".", name); };
  const auto has = [&](const char* name) { return p && p->contains(name) && !(*p)[name].is_null(); };
  t.rope_theta = has("rope_theta") ? f.finite_value(key("rope_theta"), (*p)["rope_theta"]) : f.finite("rope_theta", 10000.0);
  if (!(t.rope_theta > 0)) f.fail("rope_theta", "must be positive");
  if (!p) return;
  for (const auto& [name, value] : p->items())
    if (value.is_object()) f.fail(key(name.c_str()), "is a nested object; per-layer-type RoPE parameters are not supported");
  const char* type_key = has("rope_type") ? "rope_type" : has("type") ? "type" : nullptr;
  std::string type = "default";
  if (type_key) {
    if (!(*p)[type_key].is_string()) f.fail(key(type_key), "must be a string, found " + json_excerpt((*p)[type_key]));
    type = (*p)[type_key].get<std::string>();
  }
  const auto number = [&](const char* name) {
    if (!has(name)) f.fail(key(name), concat("is required for rope type '", type, "' but missing"));
    const double x = f.finite_value(key(name), (*p)[name]);
    if (!(x > 0)) f.fail(key(name), "must be positive");
    return x;
  };
  RopeScaling& r = t.rope_scaling;
  if (type == "default") {
    r.type = RopeType::Default;
  } else if (type == "linear") {
    r.type = RopeType::Linear;
    r.factor = number("factor");
  } else if (type == "llama3") {
    r.type = RopeType::Llama3;
    r.factor = number("factor");
    r.low_freq_factor = number("low_freq_factor");
    r.high_freq_factor = number("high_freq_factor");
    if (!(r.high_freq_factor > r.low_freq_factor))
      f.fail(key("high_freq_factor"), "must be greater than low_freq_factor (the smoothing divides by their difference)");
    if (!has("original_max_position_embeddings"))
      f.fail(key("original_max_position_embeddings"), "is required for rope type 'llama3' but missing");
    r.original_max_position_embeddings =
        f.in_range(key("original_max_position_embeddings"), (*p)["original_max_position_embeddings"], 1,
                   std::numeric_limits<int32_t>::max());
  } else {
    f.fail(key(type_key), "is " + json_excerpt(json(type)) + ", which is not supported (default, linear, llama3)");
  }
}

// Qwen2's windows, as transformers decides them (Qwen2Config since 4.53 and in 5): `sliding_window` only counts
// with use_sliding_window; layer_types names each layer's kind, and defaults to sliding from layer
// max_window_layers on. (Older 4.x releases applied the window to every layer in the eager/SDPA paths.)
void parse_qwen2_windows(const Fields& f, ModelConfig& c) {
  TransformerConfig& t = c.transformer;
  const bool sliding = f.boolean("use_sliding_window", false) && f.has("sliding_window");
  const int window = sliding ? f.positive("sliding_window") : 0;
  const int full_layers = f.integer("max_window_layers", 28);
  t.layer_windows.assign(size_t(c.num_layers), 0);
  const json& j = f.raw();
  if (f.has("layer_types")) {
    const json& types = j["layer_types"];
    if (!types.is_array() || types.size() != size_t(c.num_layers))
      f.fail("layer_types", concat("must be a list of num_hidden_layers (", std::to_string(c.num_layers), ") names"));
    for (size_t i = 0; i < types.size(); ++i) {
      const std::string type = types[i].is_string() ? types[i].get<std::string>() : std::string();
      if (type != "full_attention" && type != "sliding_attention")
        f.fail(concat("layer_types[", std::to_string(i), "]"), "must be \"full_attention\" or \"sliding_attention\", found " +
                                                                   json_excerpt(types[i]));
      if (type == "sliding_attention") t.layer_windows[i] = window;
    }
  } else {
    for (int i = full_layers; i < c.num_layers; ++i) t.layer_windows[size_t(i)] = window;
  }
  if (std::any_of(t.layer_windows.begin(), t.layer_windows.end(), [](int w) { return w > 0; })) t.sliding_window = window;
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
  f.product("num_attention_heads", t.num_heads, t.head_dim);  // × head_dim: the query width
  if (t.head_dim % 2 != 0) f.fail("head_dim", "must be even for rotary embeddings");
  t.intermediate_size = f.positive("intermediate_size");
  t.max_position_embeddings = f.positive("max_position_embeddings", c.arch == Architecture::Llama   ? 2048
                                                                    : c.arch == Architecture::Qwen2 ? 32768
                                                                                                    : 131072);
  parse_rope(f, t);
  if (c.arch == Architecture::Mistral && f.has("sliding_window")) {
    t.sliding_window = f.positive("sliding_window");
    t.layer_windows.assign(size_t(c.num_layers), *t.sliding_window);
  }
  if (c.arch == Architecture::Qwen2) parse_qwen2_windows(f, c);
  // Qwen2 has q/k/v biases and none on o; Llama's attention_bias puts one on all four, mlp_bias on its three.
  t.qkv_bias = c.arch == Architecture::Qwen2 || (c.arch == Architecture::Llama && f.boolean("attention_bias", false));
  t.o_bias = c.arch == Architecture::Llama && f.boolean("attention_bias", false);
  t.mlp_bias = c.arch == Architecture::Llama && f.boolean("mlp_bias", false);
  c.norm_eps = f.finite("rms_norm_eps", 1e-6);
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
  m.d_inner = f.product("num_heads", m.num_heads, m.head_dim);
  if (int64_t(m.d_inner) != int64_t(m.expand) * c.hidden_size)
    f.fail("num_heads", concat("× head_dim (", std::to_string(m.d_inner), ") must equal expand × hidden_size (",
                               std::to_string(int64_t(m.expand) * c.hidden_size), ")"));
  // in_proj_dim() = 2 d_inner + 2 n_groups state_size + num_heads, the widest of the block's sizes.
  f.product("state_size", 2 * int64_t(m.n_groups), m.state_size, 2 * int64_t(m.d_inner) + m.num_heads);
  if (m.num_heads % m.n_groups != 0)
    f.fail("n_groups", concat("(", std::to_string(m.n_groups), ") must divide num_heads (", std::to_string(m.num_heads), ")"));
  m.time_step_min = 0.0;
  m.time_step_max = INFINITY;
  const json& j = f.raw();
  if (j.contains("time_step_limit") && !j["time_step_limit"].is_null()) {
    const json& lim = j["time_step_limit"];
    if (!lim.is_array() || lim.size() != 2) f.fail("time_step_limit", "must be a pair [min, max]");
    m.time_step_min = f.finite_value("time_step_limit[0]", lim[0]);
    m.time_step_max = json_to_double(lim[1], f.source() + ": field 'time_step_limit[1]'");  // may be +inf
    if (!(m.time_step_min <= m.time_step_max)) f.fail("time_step_limit", "must have min <= max");
  }
  if (!f.boolean("rms_norm", true)) f.fail("rms_norm", "is false; only RMSNorm Mamba2 models are supported");
  c.norm_eps = f.finite("layer_norm_epsilon", 1e-5);
  c.tie_word_embeddings = f.boolean("tie_word_embeddings", false);
}

// Hugging Face sets intermediate_size to expand × hidden_size and then lets a stored intermediate_size override it
// (falcon-mamba-7b stores expand 16 with intermediate_size 8192, its real width).
void parse_mamba1(const Fields& f, ModelConfig& c) {
  Mamba1Config& m = c.mamba1;
  m.expand = f.positive("expand", 2);
  m.d_inner = f.has("intermediate_size") ? f.positive("intermediate_size")
                                         : f.product("expand", m.expand, c.hidden_size);
  m.state_size = f.positive("state_size", 16);
  m.conv_kernel = f.positive("conv_kernel", 4);
  if (!f.has("time_step_rank") || f.raw()["time_step_rank"] == "auto")
    m.time_step_rank = int((int64_t(c.hidden_size) + 15) / 16);  // ceil(hidden / 16)
  else if (f.raw()["time_step_rank"].is_string())
    f.fail("time_step_rank",
           "must be a positive integer or \"auto\", found " + json_excerpt(f.raw()["time_step_rank"]));
  else
    m.time_step_rank = f.positive("time_step_rank");
  m.use_bias = f.boolean("use_bias", false);
  m.use_conv_bias = f.boolean("use_conv_bias", true);
  m.mixer_norms = c.arch == Architecture::FalconMamba;
  if (m.mixer_norms) {
    m.mixer_rms_eps = f.finite("mixer_rms_eps", 1e-6);
    if (!(m.mixer_rms_eps > 0)) f.fail("mixer_rms_eps", "must be positive");
  }
  if (const std::string act = f.text("hidden_act"); !act.empty() && act != "silu")
    f.fail("hidden_act", "is '" + act + "'; only silu Mamba mixers are supported");
  // in_proj [2 d_inner × hidden] and x_proj [(rank + 2 N) × d_inner]: the widest of the block's sizes.
  f.product("intermediate_size", 2 * int64_t(m.d_inner), 1);
  f.product("state_size", 2, m.state_size, m.time_step_rank);
  f.product("state_size", m.d_inner, m.state_size);
  c.norm_eps = f.finite("layer_norm_epsilon", 1e-5);
  c.tie_word_embeddings = f.boolean("tie_word_embeddings", true);
}

}  // namespace

namespace {

// int64 arithmetic that remembers an overflow instead of wrapping (UB for signed integers).
struct CheckedCount {
  int64_t value = 0;
  bool overflow = false;
  CheckedCount(int64_t v = 0) : value(v) {}  // NOLINT: plain numbers convert
  friend CheckedCount operator+(CheckedCount a, CheckedCount b) {
    CheckedCount r;
    r.overflow = a.overflow || b.overflow || __builtin_add_overflow(a.value, b.value, &r.value);
    return r;
  }
  friend CheckedCount operator*(CheckedCount a, CheckedCount b) {
    CheckedCount r;
    r.overflow = a.overflow || b.overflow || __builtin_mul_overflow(a.value, b.value, &r.value);
    return r;
  }
};

}  // namespace

std::optional<int64_t> ModelConfig::checked_parameter_count() const {
  using C = CheckedCount;
  const C h = hidden_size, v = vocab_size;
  C block = 0;
  if (is_transformer()) {
    const TransformerConfig& t = transformer;
    const C q = C(t.num_heads) * t.head_dim, kv = C(t.num_kv_heads) * t.head_dim;
    block = h * q + C(2) * h * kv + q * h + C(3) * h * t.intermediate_size + C(2) * h;
    if (t.qkv_bias) block = block + q + C(2) * kv;
    if (t.o_bias) block = block + h;
    if (t.mlp_bias) block = block + C(2) * t.intermediate_size + h;
  } else if (arch == Architecture::Mamba || arch == Architecture::FalconMamba) {
    const Mamba1Config& m = mamba1;
    const C inner = m.d_inner;
    block = h * C(2) * inner + inner * m.conv_kernel + inner * m.x_proj_dim()  // in_proj, conv, x_proj
            + C(m.time_step_rank) * inner + inner                              // dt_proj and its bias
            + inner * m.state_size + inner                                     // A_log, D
            + inner * h + h;                                                   // out_proj, norm
    if (m.use_conv_bias) block = block + inner;
    if (m.use_bias) block = block + C(2) * inner + h;
  } else {
    const Mamba2Config& m = mamba2;
    block = h * m.in_proj_dim() + C(m.conv_dim()) * m.conv_kernel + C(m.d_inner) * h + C(3) * m.num_heads +
            m.d_inner + h;
    if (m.use_conv_bias) block = block + m.conv_dim();
    if (m.use_bias) block = block + m.in_proj_dim() + h;
  }
  const C total = v * h + C(num_layers) * block + h + (tie_word_embeddings ? C(0) : v * h);
  if (total.overflow) return std::nullopt;
  return total.value;
}

int64_t ModelConfig::parameter_count() const {
  const std::optional<int64_t> n = checked_parameter_count();
  if (!n) throw Error("the model's sizes imply more than 2^63 parameters");
  return *n;
}

std::string supported_architectures() {
  std::string list;
  for (const SupportedArchitecture& a : kSupportedArchitectures) list += concat(list.empty() ? "" : ", ", architecture_name(a.arch));
  return list;
}

ModelConfig parse_model_config(const json& j, const std::string& source) {
  if (!j.is_object()) throw Error(source + ": not a JSON object");
  Fields f(j, source);
  ModelConfig c;
  c.arch = detect_architecture(f);
  c.model_type = f.text("model_type");
  c.hidden_size = f.positive("hidden_size");
  c.num_layers = f.positive("num_hidden_layers");
  c.vocab_size = f.positive("vocab_size");
  c.bos_token_id = f.token_id("bos_token_id", 1);
  c.eos_token_id = f.token_id("eos_token_id", 2);
  c.torch_dtype = j.contains("torch_dtype") && j["torch_dtype"].is_string() ? j["torch_dtype"].get<std::string>()
                  : j.contains("dtype") && j["dtype"].is_string()           ? j["dtype"].get<std::string>()
                                                                           : std::string();
  if (c.is_transformer()) parse_transformer(f, c);
  else if (c.arch == Architecture::Mamba2) parse_mamba2(f, c);
  else parse_mamba1(f, c);
  if (!(c.norm_eps > 0)) f.fail(c.is_transformer() ? "rms_norm_eps" : "layer_norm_epsilon", "must be positive");
  if (!c.checked_parameter_count())
    throw Error(source + ": the sizes (hidden_size, vocab_size, num_hidden_layers, ...) imply more than 2^63 parameters");
  return c;
}

ModelConfig load_model_config(const fs::path& folder_or_file) {
  const fs::path path = fs::is_directory(folder_or_file) ? folder_or_file / "config.json" : folder_or_file;
  if (!fs::exists(path)) throw Error(path.string() + ": missing (a model folder needs config.json)");
  return parse_model_config(read_lenient_json(path), path.string());
}

}  // namespace dynamax
