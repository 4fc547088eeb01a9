#pragma once
// The synthetic checkpoints every engine benchmark uses: Mistral-7B-v0.1's, Mamba-Codestral-7B's and
// mamba-2.8b's widths with a few blocks of random bf16 weights, in a temporary folder that is removed however the
// run ends.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <system_error>

#include "bench/synthetic_checkpoint.h"

namespace bench {

struct TemporaryFolder {
  std::filesystem::path path;
  explicit TemporaryFolder(const std::string& name)
      : path(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(getpid()))) {}
  ~TemporaryFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

// Mistral-7B-v0.1: hidden 4096, MLP 14336, 32 heads of 128, 8 KV heads, vocab 32000, window 4096.
inline void write_mistral_7b_shaped(const std::filesystem::path& folder, int blocks) {
  const int hidden = 4096, mlp = 14336, heads = 32, kv_heads = 8, head_dim = 128, vocab = 32000;
  const nlohmann::json config = {{"architectures", {"MistralForCausalLM"}}, {"hidden_size", hidden},
                                 {"intermediate_size", mlp}, {"num_attention_heads", heads},
                                 {"num_key_value_heads", kv_heads}, {"head_dim", head_dim},
                                 {"num_hidden_layers", blocks}, {"vocab_size", vocab},
                                 {"max_position_embeddings", 32768}, {"sliding_window", 4096},
                                 {"rope_theta", 10000.0}, {"rms_norm_eps", 1e-5}};
  std::vector<SyntheticTensor> t = {{"model.embed_tokens.weight", {vocab, hidden}},
                                    {"model.norm.weight", {hidden}, 1.0f, 0.1f},
                                    {"lm_head.weight", {vocab, hidden}}};
  for (int l = 0; l < blocks; ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    t.push_back({p + "self_attn.q_proj.weight", {heads * head_dim, hidden}});
    t.push_back({p + "self_attn.k_proj.weight", {kv_heads * head_dim, hidden}});
    t.push_back({p + "self_attn.v_proj.weight", {kv_heads * head_dim, hidden}});
    t.push_back({p + "self_attn.o_proj.weight", {hidden, heads * head_dim}});
    t.push_back({p + "mlp.gate_proj.weight", {mlp, hidden}});
    t.push_back({p + "mlp.up_proj.weight", {mlp, hidden}});
    t.push_back({p + "mlp.down_proj.weight", {hidden, mlp}});
    t.push_back({p + "input_layernorm.weight", {hidden}, 1.0f, 0.1f});
    t.push_back({p + "post_attention_layernorm.weight", {hidden}, 1.0f, 0.1f});
  }
  write_synthetic_checkpoint(folder, config, t);
}

// Mamba-Codestral-7B: hidden 4096, 128 heads of 64, 8 groups, state 128, conv 4, chunk 256, vocab 32768.
inline void write_codestral_7b_shaped(const std::filesystem::path& folder, int blocks) {
  const int hidden = 4096, heads = 128, head_dim = 64, groups = 8, state = 128, conv = 4, vocab = 32768;
  const int d_inner = heads * head_dim, conv_dim = d_inner + 2 * groups * state, in_dim = 2 * d_inner + 2 * groups * state + heads;
  const nlohmann::json config = {{"architectures", {"Mamba2ForCausalLM"}}, {"model_type", "mamba2"},
                                 {"hidden_size", hidden}, {"num_hidden_layers", blocks}, {"vocab_size", vocab},
                                 {"num_heads", heads}, {"head_dim", head_dim}, {"n_groups", groups},
                                 {"state_size", state}, {"conv_kernel", conv}, {"chunk_size", 256}, {"expand", 2},
                                 {"use_bias", false}, {"use_conv_bias", true}, {"layer_norm_epsilon", 1e-5},
                                 {"tie_word_embeddings", false}, {"rms_norm", true}};
  std::vector<SyntheticTensor> t = {{"backbone.embeddings.weight", {vocab, hidden}, 0.0f, 1.0f},
                                    {"backbone.norm_f.weight", {hidden}, 1.0f, 0.1f},
                                    {"lm_head.weight", {vocab, hidden}}};
  for (int i = 0; i < blocks; ++i) {
    const std::string p = "backbone.layers." + std::to_string(i) + ".";
    t.push_back({p + "norm.weight", {hidden}, 1.0f, 0.1f});
    t.push_back({p + "mixer.in_proj.weight", {in_dim, hidden}, 0.0f, 1.0f / std::sqrt(float(hidden))});
    t.push_back({p + "mixer.conv1d.weight", {conv_dim, 1, conv}, 0.0f, 0.5f});
    t.push_back({p + "mixer.conv1d.bias", {conv_dim}, 0.0f, 0.1f});
    t.push_back({p + "mixer.dt_bias", {heads}, -4.25f, 1.75f});  // dt ≈ 0.002 .. 0.08, as in trained models
    t.push_back({p + "mixer.A_log", {heads}, 1.386f, 1.386f});   // A ∈ [−16, −1]
    t.push_back({p + "mixer.D", {heads}, 1.0f, 0.1f});
    t.push_back({p + "mixer.norm.weight", {d_inner}, 1.0f, 0.1f});
    t.push_back({p + "mixer.out_proj.weight", {hidden, d_inner}, 0.0f, 1.0f / std::sqrt(float(d_inner))});
  }
  write_synthetic_checkpoint(folder, config, t);
}

// state-spaces/mamba-2.8b-hf: hidden 2560, d_inner 5120, state 16, dt rank 160, conv 4, vocab 50280, tied.
inline void write_mamba_2_8b_shaped(const std::filesystem::path& folder, int blocks) {
  const int hidden = 2560, inner = 5120, state = 16, rank = 160, conv = 4, vocab = 50280;
  const nlohmann::json config = {{"architectures", {"MambaForCausalLM"}}, {"model_type", "mamba"},
                                 {"hidden_size", hidden}, {"intermediate_size", inner}, {"num_hidden_layers", blocks},
                                 {"vocab_size", vocab}, {"state_size", state}, {"time_step_rank", rank},
                                 {"conv_kernel", conv}, {"expand", 2}, {"use_bias", false}, {"use_conv_bias", true},
                                 {"layer_norm_epsilon", 1e-5}, {"tie_word_embeddings", true}};
  std::vector<SyntheticTensor> t = {{"backbone.embeddings.weight", {vocab, hidden}, 0.0f, 1.0f},
                                    {"backbone.norm_f.weight", {hidden}, 1.0f, 0.1f}};
  for (int i = 0; i < blocks; ++i) {
    const std::string p = "backbone.layers." + std::to_string(i) + ".";
    t.push_back({p + "norm.weight", {hidden}, 1.0f, 0.1f});
    t.push_back({p + "mixer.in_proj.weight", {2 * inner, hidden}, 0.0f, 1.0f / std::sqrt(float(hidden))});
    t.push_back({p + "mixer.conv1d.weight", {inner, 1, conv}, 0.0f, 0.5f});
    t.push_back({p + "mixer.conv1d.bias", {inner}, 0.0f, 0.1f});
    t.push_back({p + "mixer.x_proj.weight", {rank + 2 * state, inner}, 0.0f, 1.0f / std::sqrt(float(inner))});
    t.push_back({p + "mixer.dt_proj.weight", {inner, rank}, 0.0f, 1.0f / std::sqrt(float(rank))});
    t.push_back({p + "mixer.dt_proj.bias", {inner}, -4.25f, 1.75f});  // dt ≈ 0.002 .. 0.08, as in trained models
    t.push_back({p + "mixer.A_log", {inner, state}, 1.386f, 1.386f});  // A ∈ [−16, −1]
    t.push_back({p + "mixer.D", {inner}, 1.0f, 0.1f});
    t.push_back({p + "mixer.out_proj.weight", {hidden, inner}, 0.0f, 1.0f / std::sqrt(float(inner))});
  }
  write_synthetic_checkpoint(folder, config, t);
}

}  // namespace bench
