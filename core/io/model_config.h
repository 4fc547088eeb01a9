#pragma once
// config.json of a Hugging Face model folder, for the architectures the engine runs, with the library's defaults
// for missing optional fields and checks that name the offending field.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace dynamax {

// Transformers first, then the recurrent (state-space) families.
enum class Architecture { Mistral, Llama, Qwen2, Mamba2, Mamba, FalconMamba };

const char* architecture_name(Architecture arch);  // the HF class name, e.g. "MistralForCausalLM"

// The architectures parse_model_config accepts, listed in its errors ("MistralForCausalLM, ...").
std::string supported_architectures();

// RoPE frequency scaling (`rope_scaling` in transformers 4, `rope_parameters` in 5): the types whose inv_freq the
// engine computes as transformers does; any other type is refused by name.
enum class RopeType { Default, Linear, Llama3 };
const char* rope_type_name(RopeType type);  // "default", "linear", "llama3"
struct RopeScaling {
  RopeType type = RopeType::Default;
  double factor = 1.0;                       // linear, llama3
  double low_freq_factor = 1.0;              // llama3
  double high_freq_factor = 4.0;             // llama3
  int original_max_position_embeddings = 0;  // llama3
};

struct TransformerConfig {
  int num_heads = 0;
  int num_kv_heads = 0;
  int head_dim = 0;
  int intermediate_size = 0;
  int max_position_embeddings = 0;
  double rope_theta = 10000.0;
  RopeScaling rope_scaling;
  std::optional<int> sliding_window;  // the window of the sliding layers; none for Llama or `sliding_window: null`
  // Per layer (0-based): 0 = full attention, else the window. Mistral slides in every layer, Qwen2 in the layers
  // its layer_types (or use_sliding_window + max_window_layers) name.
  std::vector<int> layer_windows;
  bool qkv_bias = false;  // Qwen2 always, Llama with attention_bias
  bool o_bias = false;    // Llama with attention_bias
  bool mlp_bias = false;  // Llama with mlp_bias: gate, up and down
  int window(int layer) const { return layer_windows.empty() ? 0 : layer_windows[size_t(layer)]; }
};

struct Mamba2Config {
  int num_heads = 0;
  int head_dim = 0;
  int n_groups = 1;
  int state_size = 0;
  int conv_kernel = 4;
  int chunk_size = 256;
  int expand = 2;
  int d_inner = 0;  // num_heads * head_dim == expand * hidden_size
  bool use_bias = false;
  bool use_conv_bias = true;
  double time_step_min = 0.0;  // time_step_limit[0]
  double time_step_max = 0.0;  // time_step_limit[1], may be +inf
  int conv_dim() const { return d_inner + 2 * n_groups * state_size; }
  int in_proj_dim() const { return 2 * d_inner + 2 * n_groups * state_size + num_heads; }
};

// MambaForCausalLM (state-spaces/mamba-*-hf) and FalconMambaForCausalLM (the same mixer with weightless RMS norms
// on dt, B and C before they are used).
struct Mamba1Config {
  int d_inner = 0;  // intermediate_size, expand × hidden_size when absent
  int state_size = 16;
  int conv_kernel = 4;
  int time_step_rank = 0;  // "auto": ceil(hidden_size / 16)
  int expand = 2;
  bool use_bias = false;  // in_proj and out_proj
  bool use_conv_bias = true;
  bool mixer_norms = false;    // FalconMamba
  double mixer_rms_eps = 1e-6;  // FalconMamba's eps of those norms
  int x_proj_dim() const { return time_step_rank + 2 * state_size; }  // dt | B | C
};

struct ModelConfig {
  Architecture arch = Architecture::Mistral;
  std::string model_type;
  int hidden_size = 0;
  int num_layers = 0;
  int vocab_size = 0;
  double norm_eps = 1e-5;
  bool tie_word_embeddings = false;
  int bos_token_id = 1;
  int eos_token_id = 2;
  std::string torch_dtype;  // as declared ("bfloat16"), informational
  TransformerConfig transformer;  // Mistral / Llama
  Mamba2Config mamba2;            // Mamba2
  Mamba1Config mamba1;            // Mamba, FalconMamba

  bool is_transformer() const { return arch == Architecture::Mistral || arch == Architecture::Llama || arch == Architecture::Qwen2; }
  // Parameters implied by the config (embeddings, blocks, norms, head); Error if that overflows int64
  // (parse_model_config refuses such configs, so a parsed config always has a count).
  int64_t parameter_count() const;
  // The same, or nothing when it overflows int64.
  std::optional<int64_t> checked_parameter_count() const;
};

// Parses a config object; `source` names the file in errors.
ModelConfig parse_model_config(const nlohmann::json& json, const std::string& source);
// Reads <folder>/config.json (or a config file path).
ModelConfig load_model_config(const std::filesystem::path& folder_or_file);

}  // namespace dynamax
