#include "core/exits/skip_strategies.h"

#include <vector>

#include "core/analysis/compute_cost.h"
#include "core/common/error.h"
#include "core/models/kv_cache.h"
#include "core/models/recurrent_model.h"
#include "core/models/transformer.h"

namespace dynamax {

namespace {

constexpr int64_t kMultiplyAdd = 2, kRmsNormPerElement = 4, kRopePerElement = 3;

// The input norm, k and v projections (with their biases) and RoPE on k: what a block computes for its cache entry.
int64_t recompute_kv_flops(const ModelConfig& c) {
  const int64_t h = c.hidden_size, kv = int64_t(c.transformer.num_kv_heads) * c.transformer.head_dim;
  return kRmsNormPerElement * h + 2 * kMultiplyAdd * h * kv + (c.transformer.qkv_bias ? 2 * kv : 0) + kRopePerElement * kv;
}

// A Mamba2 block without its output: the full block less the gate projection (z), y = C·state + D·x, the gated
// norm, out_proj and the residual add (see mamba2_block_flops' terms).
int64_t mamba2_update_flops(const ModelConfig& c) {
  const Mamba2Config& m = c.mamba2;
  const int64_t h = c.hidden_size, inner = m.d_inner, states = inner * m.state_size;
  const int64_t skipped = kMultiplyAdd * h * inner                            // z rows of in_proj
                          + states * kMultiplyAdd + inner * kMultiplyAdd      // y = C·state, y += D·x
                          + inner * 5 + inner * kRmsNormPerElement            // y·SiLU(z), grouped norm
                          + kMultiplyAdd * inner * h + (m.use_bias ? h : 0)  // out_proj
                          + h;                                               // residual add
  return mamba2_block_flops(c) - skipped;
}

// A Mamba-1 block without its output: the full block less the gate rows of in_proj, y = C·state + D·x, the gating,
// out_proj and the residual add (see mamba_block_flops' terms).
int64_t mamba_update_flops(const ModelConfig& c) {
  const Mamba1Config& m = c.mamba1;
  const int64_t h = c.hidden_size, inner = m.d_inner, states = inner * m.state_size;
  const int64_t skipped = kMultiplyAdd * h * inner + (m.use_bias ? inner : 0)  // gate rows of in_proj
                          + states * kMultiplyAdd + inner * kMultiplyAdd       // y = C·state, y += D·x
                          + inner * 5                                          // y·SiLU(gate)
                          + kMultiplyAdd * inner * h + (m.use_bias ? h : 0)    // out_proj
                          + h;                                                 // residual add
  return mamba_block_flops(c) - skipped;
}

// Through a copy: `to` may be `from`, whose rows move when it grows.
void copy_entry(BlockKv& to, const BlockKv& from, int entry, int position) {
  const std::vector<float> key(from.key_row(entry), from.key_row(entry) + from.width());
  const std::vector<float> value(from.value_row(entry), from.value_row(entry) + from.width());
  to.push(position, key.data(), value.data());
}

}  // namespace

KvStrategy parse_kv_strategy(std::string_view name) {
  if (name == "recompute") return KvStrategy::Recompute;
  if (name == "copy-exit") return KvStrategy::CopyExit;
  if (name == "copy-prev") return KvStrategy::CopyPrev;
  if (name == "mask") return KvStrategy::Mask;
  throw Error("unknown KV strategy '" + std::string(name) + "'; valid: recompute, copy-exit, copy-prev, mask");
}

StateStrategy parse_state_strategy(std::string_view name) {
  if (name == "keep") return StateStrategy::Keep;
  if (name == "update") return StateStrategy::Update;
  throw Error("unknown state strategy '" + std::string(name) + "'; valid: keep, update");
}

std::string kv_strategy_name(KvStrategy kv) {
  switch (kv) {
    case KvStrategy::Recompute: return "recompute";
    case KvStrategy::CopyExit: return "copy-exit";
    case KvStrategy::CopyPrev: return "copy-prev";
    case KvStrategy::Mask: return "mask";
  }
  return "?";
}

std::string state_strategy_name(StateStrategy state) { return state == StateStrategy::Keep ? "keep" : "update"; }

std::string skip_strategy_name(const SkipStrategy& strategy, const ModelConfig& config) {
  return config.is_transformer() ? kv_strategy_name(strategy.kv) : state_strategy_name(strategy.state);
}

int64_t skipped_block_flops(const SkipStrategy& strategy, const ModelConfig& config) {
  if (config.is_transformer()) return strategy.kv == KvStrategy::Recompute ? recompute_kv_flops(config) : 0;
  if (strategy.state == StateStrategy::Keep) return 0;
  return config.arch == Architecture::Mamba2 ? mamba2_update_flops(config) : mamba_update_flops(config);
}

SkipWork fill_skipped_blocks(Model& model, ModelState& state, const SkipStrategy& strategy, int exit_depth,
                             const float* h_exit, int position, int last) {
  const int L = last > 0 ? last : model.depth();
  SkipWork work;
  if (exit_depth >= L) return work;
  const int64_t per_block = skipped_block_flops(strategy, model.config());
  if (model.config().is_transformer()) {
    auto& cache = dynamic_cast<KvCache&>(state);
    const BlockKv& exit_kv = cache.block(exit_depth);
    const int exit_entry = exit_kv.find(position);
    if (exit_entry < 0) throw Error("skipped blocks: the exit block holds no entry for position " + std::to_string(position));
    for (int d = exit_depth + 1; d <= L; ++d) {
      BlockKv& kv = cache.block(d);
      switch (strategy.kv) {
        case KvStrategy::Recompute: append_block_kv(model, d, h_exit, 1, position, state); break;
        case KvStrategy::CopyExit: copy_entry(kv, exit_kv, exit_entry, position); break;
        case KvStrategy::CopyPrev: {
          const int previous = kv.find(position - 1);
          if (previous >= 0) copy_entry(kv, kv, previous, position);
          break;
        }
        case KvStrategy::Mask: break;
      }
    }
  } else if (strategy.state == StateStrategy::Update) {
    auto& recurrent = dynamic_cast<RecurrentModel&>(model);
    for (int d = exit_depth + 1; d <= L; ++d) recurrent.advance_block_state(d, h_exit, 1, state);
  }
  if (per_block > 0) {
    const int skipped = L - exit_depth;
    work.flops = per_block * skipped;
    work.blocks = double(work.flops) / double(block_flops(model.config(), position, exit_depth));
  }
  return work;
}

}  // namespace dynamax
