#pragma once
// config.json of a Hugging Face model folder, for the architectures the engine runs, with the library's defaults
// for missing optional fields and checks that name the offending field.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace dynamax {

// Transformers first, then the recurrent (state-space) families.
enum class Architecture { Mistral, Llama, Qwen2, Mamba2, Mamba, FalconMamba };

const char* architecture_name(Architecture arch);  // the HF class name, e.g. "MistralForCausalLM"

struct TransformerConfig {
  int num_heads = 0;
  int num_kv_heads = 0;
  int head_dim = 0;
  int intermediate_size = 0;
  int max_position_embeddings = 0;
  double rope_theta = 10000.0;
  std::optional<int> sliding_window;  // none for Llama or `sliding_window: null`
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
