#include "core/analysis/compute_cost.h"

#include <algorithm>
#include <limits>
#include <string>

#include "core/common/error.h"

namespace dynamax {

namespace {

constexpr int64_t kMultiplyAdd = 2;
constexpr int64_t kRmsNormPerElement = 4;   // square-and-add (2), × 1/rms, × weight
constexpr int64_t kRopePerElement = 3;      // a pair rotation: 4 multiplies + 2 adds
constexpr int64_t kSoftmaxPerScore = 6;     // scale by 1/√d, max, subtract, exp, sum, divide
constexpr int64_t kSiluPerElement = 4;      // negate, exp, add 1, divide
constexpr int64_t kSoftplusPerElement = 3;  // exp, add 1, log

// A block's cost for one token: fixed + per_key · (keys in view); per_key is 0 for Mamba2.
struct BlockFlops {
  int64_t fixed = 0, per_key = 0;
  int64_t window = std::numeric_limits<int64_t>::max();
};

BlockFlops transformer_flops(const ModelConfig& c) {
  const TransformerConfig& t = c.transformer;
  const int64_t h = c.hidden_size, q = int64_t(t.num_heads) * t.head_dim, kv = int64_t(t.num_kv_heads) * t.head_dim;
  const int64_t mlp = t.intermediate_size;
  BlockFlops f;
  f.fixed = 2 * kRmsNormPerElement * h                                 // attention and MLP norms
            + kMultiplyAdd * h * (q + 2 * kv) + kMultiplyAdd * q * h  // q, k, v and o projections (GQA widths)
            + kRopePerElement * (q + kv)                               // RoPE on q and k
            + 2 * kMultiplyAdd * h * mlp                               // gate and up projections
            + (kSiluPerElement + 1) * mlp                              // SiLU(gate) × up
            + kMultiplyAdd * mlp * h                                   // down projection
            + 2 * h                                                    // two residual adds
            + (t.qkv_bias ? q + 2 * kv : 0) + (t.o_bias ? h : 0)       // biases: one add per output
            + (t.mlp_bias ? 2 * mlp + h : 0);
  // Per key in view, per head: the score q·k, its softmax, and the weighted sum of v.
  f.per_key = int64_t(t.num_heads) * (kMultiplyAdd * t.head_dim + kSoftmaxPerScore + kMultiplyAdd * t.head_dim);
  if (t.sliding_window) f.window = *t.sliding_window;  // the sliding layers' window; full layers see every key
  return f;
}

BlockFlops mamba2_flops(const ModelConfig& c) {
  const Mamba2Config& m = c.mamba2;
  const int64_t h = c.hidden_size, inner = m.d_inner, heads = m.num_heads, conv = m.conv_dim();
  const int64_t in = m.in_proj_dim(), states = inner * m.state_size;  // state elements: heads · head_dim · N
  BlockFlops f;
  f.fixed = kRmsNormPerElement * h                                   // pre-norm
            + kMultiplyAdd * h * in + (m.use_bias ? in : 0)          // in_proj → z | x B C | dt
            + kMultiplyAdd * m.conv_kernel * conv                    // depthwise causal conv over x B C
            + (m.use_conv_bias ? conv : 0) + kSiluPerElement * conv  // its bias and SiLU
            + heads * (1 + kSoftplusPerElement)                      // dt = softplus(dt + dt_bias)
            + heads * 2                                              // dA = exp(dt · A)
            + inner                                                  // dt · x
            + states * 3                                             // state = state · dA + (dt · x) · B
            + states * kMultiplyAdd                                  // y = C · state
            + inner * kMultiplyAdd                                   // y += D · x
            + inner * (kSiluPerElement + 1)                          // y · SiLU(z)
            + inner * kRmsNormPerElement                             // grouped RMSNorm
            + kMultiplyAdd * inner * h + (m.use_bias ? h : 0)        // out_proj
            + h;                                                     // residual add
  return f;
}

BlockFlops mamba_flops(const ModelConfig& c) {
  const Mamba1Config& m = c.mamba1;
  const int64_t h = c.hidden_size, inner = m.d_inner, rank = m.time_step_rank;
  const int64_t states = inner * m.state_size;  // state elements: d_inner · N
  BlockFlops f;
  f.fixed = kRmsNormPerElement * h                                       // pre-norm
            + kMultiplyAdd * h * 2 * inner + (m.use_bias ? 2 * inner : 0)  // in_proj → x | gate
            + kMultiplyAdd * m.conv_kernel * inner                         // depthwise causal conv over x
            + (m.use_conv_bias ? inner : 0) + kSiluPerElement * inner      // its bias and SiLU
            + kMultiplyAdd * inner * m.x_proj_dim()                        // x_proj → dt | B | C
            + (m.mixer_norms ? (kRmsNormPerElement - 1) * m.x_proj_dim() : 0)  // FalconMamba's weightless norms
            + kMultiplyAdd * rank * inner + inner                          // dt_proj and its bias
            + kSoftplusPerElement * inner                                  // softplus
            + states * 2                                                   // dA = exp(dt · A)
            + inner                                                        // dt · x
            + states * 3                                                   // state = state · dA + (dt · x) · B
            + states * kMultiplyAdd                                        // y = C · state
            + inner * kMultiplyAdd                                         // y += D · x
            + inner * (kSiluPerElement + 1)                                // y · SiLU(gate)
            + kMultiplyAdd * inner * h + (m.use_bias ? h : 0)              // out_proj
            + h;                                                           // residual add
  return f;
}

BlockFlops block_flops_of(const ModelConfig& c) {
  if (c.is_transformer()) return transformer_flops(c);
  return c.arch == Architecture::Mamba2 ? mamba2_flops(c) : mamba_flops(c);
}

int64_t flops_at(const BlockFlops& f, int64_t position) {
  return f.fixed + f.per_key * std::min(position + 1, f.window);
}

}  // namespace

// Whether block `layer` (0-based) attends to every key: Llama, and Qwen2's layers outside its sliding ones.
bool full_attention(const ModelConfig& config, int layer) {
  return config.is_transformer() && config.transformer.window(layer) == 0;
}

int64_t transformer_block_flops(const ModelConfig& config, int64_t position, int layer) {
  if (!config.is_transformer()) throw Error(std::string("transformer block FLOPs asked of a ") + architecture_name(config.arch));
  if (layer < 0 || layer >= config.num_layers)
    throw Error("transformer block FLOPs: layer " + std::to_string(layer) + " is outside 0.." + std::to_string(config.num_layers - 1));
  BlockFlops f = transformer_flops(config);
  if (full_attention(config, layer)) f.window = std::numeric_limits<int64_t>::max();
  return flops_at(f, position);
}

int64_t mamba2_block_flops(const ModelConfig& config) {
  if (config.arch != Architecture::Mamba2)
    throw Error(std::string("Mamba2 block FLOPs asked of a ") + architecture_name(config.arch));
  return mamba2_flops(config).fixed;
}

int64_t mamba_block_flops(const ModelConfig& config) {
  if (config.arch != Architecture::Mamba && config.arch != Architecture::FalconMamba)
    throw Error(std::string("Mamba block FLOPs asked of a ") + architecture_name(config.arch));
  return mamba_flops(config).fixed;
}

int64_t block_flops(const ModelConfig& config, int64_t position, int layer) {
  return config.is_transformer() ? transformer_block_flops(config, position, layer)
                                 : flops_at(block_flops_of(config), position);
}

int64_t exit_head_flops(const ModelConfig& config) {
  const int64_t h = config.hidden_size;
  return kRmsNormPerElement * h + kMultiplyAdd * h * config.vocab_size;
}

ExitCost::ExitCost(const ModelConfig& config, const ExitPolicy& policy, ExitCostOptions options)
    : depths_(config.num_layers), last_block_(options.last_block) {
  if (policy.depths != config.num_layers)
    throw Error("compute cost: the exit policy has " + std::to_string(policy.depths) + " depths but the model config has " +
                std::to_string(config.num_layers) + " layers");
  if (options.classifier_flops < 0) throw Error("compute cost: classifier FLOPs must not be negative");
  const BlockFlops block = block_flops_of(config);
  fixed_block_flops_ = block.fixed;
  per_key_flops_ = block.per_key;
  window_ = block.window;
  head_flops_ = exit_head_flops(config);
  full_blocks_.assign(size_t(depths_) + 1, 0);
  for (int d = 1; d <= depths_; ++d) full_blocks_[size_t(d)] = full_blocks_[size_t(d - 1)] + (full_attention(config, d - 1) ? 1 : 0);

  heads_.assign(size_t(depths_) + 1, 1);
  classifiers_.assign(size_t(depths_) + 1, 0);
  overhead_.assign(size_t(depths_) + 1, 0);
  const std::span<const int> decisions = policy.decision_depths();
  for (int d = 1; d <= depths_; ++d) {
    const auto below = std::lower_bound(decisions.begin(), decisions.end(), d) - decisions.begin();
    const auto up_to = std::upper_bound(decisions.begin(), decisions.end(), d) - decisions.begin();
    if (options.head_evaluations == HeadEvaluations::EveryAllowedDepthToExit)
      heads_[size_t(d)] = 1 + int(below) + (last_block_ && d < depths_ ? 1 : 0);
    classifiers_[size_t(d)] = options.classifier_flops > 0 ? int(up_to) : 0;
    overhead_[size_t(d)] = heads_[size_t(d)] * head_flops_ + classifiers_[size_t(d)] * options.classifier_flops;
  }
}

}  // namespace dynamax
