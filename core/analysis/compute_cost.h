#pragma once
// FLOPs per token of what an early exit executes, from the model's config.json.
//
// Counting convention: a multiply-add counts 2 FLOPs; any other arithmetic operation, exp, log, division or square
// root counts 1. Counted per token, for one token processed with teacher forcing (the recorded setting):
// blocks 1..d, the exit heads and classifiers the policy evaluates. Not counted: the embedding lookup, cache
// writes, the argmax/softmax statistics of a measure (O(vocab), small next to the head's 2·hidden·vocab), and
// the cost of filling skipped blocks' caches for later tokens (generation runs measure that).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/analysis/exit_policy.h"
#include "core/io/model_config.h"

namespace dynamax {

// Transformer block `layer` (0-based) for the token at 0-based `position`, whose attention sees
// min(position + 1, window) keys: the window of a sliding layer (Mistral's every layer, Qwen2's sliding ones), or
// position + 1 in a full-attention layer.
int64_t transformer_block_flops(const ModelConfig& config, int64_t position, int layer = 0);
// One Mamba2 block (independent of the position: the recurrence carries a fixed-size state).
int64_t mamba2_block_flops(const ModelConfig& config);
// One Mamba-1 or FalconMamba block (likewise independent of the position).
int64_t mamba_block_flops(const ModelConfig& config);
// Any of the above, by the config's architecture.
int64_t block_flops(const ModelConfig& config, int64_t position, int layer = 0);
// The exit head: final RMSNorm + lm_head (4·hidden + 2·hidden·vocab).
int64_t exit_head_flops(const ModelConfig& config);

// How many exit heads a token pays for. With a softmax measure (max-prob, margin, entropy) the head runs at every
// allowed depth the token passes, to read the score: EveryAllowedDepthToExit. With saturation or a classifier
// the score needs no head, so only the exit's own head runs: ExitOnly. Baselines (static, oracle, random) decide
// without scores and always pay ExitOnly.
enum class HeadEvaluations { EveryAllowedDepthToExit, ExitOnly };

struct ExitCostOptions {
  HeadEvaluations head_evaluations = HeadEvaluations::EveryAllowedDepthToExit;
  int64_t classifier_flops = 0;  // one evaluation of an exit classifier on one token at one depth (0 = none)
  // With the last-block exit head (core/exits/exit_head.h) a token leaving below L also runs block L, and reads its
  // token with one more head when a softmax measure's heads only decided.
  bool last_block = false;
};

// The compute of a token exiting at depth d under a policy:
//   Σ over blocks 1..blocks(d) of block(position) + heads(d) · head + classifiers(d) · classifier,
// where blocks(d) = d (+ 1 below L with last_block), heads(d) = 1 + (allowed depths below d) with
// EveryAllowedDepthToExit (+ 1 below L with last_block), else 1, and classifiers(d) = the decision depths ≤ d (the
// classifier decides at each of them; at L nothing is left to decide).
// The full model: L · block(position) + one head.
class ExitCost {
 public:
  ExitCost(const ModelConfig& config, const ExitPolicy& policy, ExitCostOptions options = {});

  int depths() const { return depths_; }
  // Blocks 1..n for the token at `position`: the full-attention ones see position + 1 keys, the sliding ones at most
  // their window.
  int64_t blocks_flops(int64_t position, int n) const { return flops_of(position, n, full_blocks_[size_t(n)]); }
  // The blocks a token exiting at `depth` runs: 1..depth, and block L with last_block below L.
  int64_t executed_block_flops(int64_t position, int depth) const {
    if (executed_blocks(depth) == depth) return blocks_flops(position, depth);
    const int full_last = full_blocks_[size_t(depths_)] - full_blocks_[size_t(depths_ - 1)];
    return flops_of(position, depth + 1, full_blocks_[size_t(depth)] + full_last);
  }
  int head_evaluations(int depth) const { return heads_[size_t(depth)]; }
  int executed_blocks(int depth) const { return depth + (last_block_ && depth < depths_ ? 1 : 0); }
  bool last_block() const { return last_block_; }
  int classifier_evaluations(int depth) const { return classifiers_[size_t(depth)]; }  // 0 without a classifier
  // Heads and classifiers paid by a token exiting at `depth`.
  int64_t overhead_flops(int depth) const { return overhead_[size_t(depth)]; }
  int64_t token_flops(int64_t position, int depth) const {
    return executed_block_flops(position, depth) + overhead_flops(depth);
  }
  int64_t full_model_flops(int64_t position) const { return blocks_flops(position, depths_) + head_flops_; }

 private:
  // n blocks of which `full` attend to every key and the others to at most the window.
  int64_t flops_of(int64_t position, int n, int64_t full) const {
    return n * fixed_block_flops_ + per_key_flops_ * (full * (position + 1) + (n - full) * std::min<int64_t>(position + 1, window_));
  }

  int depths_;
  int64_t fixed_block_flops_, per_key_flops_, window_, head_flops_;
  bool last_block_;
  std::vector<int> heads_, classifiers_;  // [L + 1], by depth
  std::vector<int> full_blocks_;          // [L + 1]: how many of blocks 1..d attend to every key
  std::vector<int64_t> overhead_;         // [L + 1], by depth
};

}  // namespace dynamax
