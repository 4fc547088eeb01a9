#pragma once
// What happens to the blocks an early exit skips, so that later tokens still find something there.
// Transformer KV caches:
//   recompute  CALM's propagation: each skipped block's own input norm + k/v projections + RoPE on the exit state
//   copy-exit  the exit block's K/V entry at this position, copied into every skipped block
//   copy-prev  the same block's entry of the previous position, copied as is (masked when there is none)
//   mask       no entry: later queries of those blocks do not attend to this position
// Recurrent states (Mamba, FalconMamba, Mamba2):
//   keep       the skipped blocks' conv/SSM states stay as they are (the token never reaches them)
//   update     each skipped block's partial forward (in-projection, conv, state update) on the exit state
#include <cstdint>
#include <string>
#include <string_view>

#include "core/io/model_config.h"
#include "core/models/model.h"

namespace dynamax {

enum class KvStrategy { Recompute, CopyExit, CopyPrev, Mask };
enum class StateStrategy { Keep, Update };

// One choice per architecture; a run uses the one that applies to its model.
struct SkipStrategy {
  KvStrategy kv = KvStrategy::Recompute;
  StateStrategy state = StateStrategy::Keep;
};

// Parse the CLI names above; the error lists the valid ones.
KvStrategy parse_kv_strategy(std::string_view name);
StateStrategy parse_state_strategy(std::string_view name);
std::string kv_strategy_name(KvStrategy kv);
std::string state_strategy_name(StateStrategy state);
// The name of the strategy that applies to `config`'s architecture.
std::string skip_strategy_name(const SkipStrategy& strategy, const ModelConfig& config);

// Extra work done for skipped blocks: FLOPs (compute_cost.h's convention) and the same in blocks-equivalents
// (FLOPs over one full block's at that position). Copies and masks cost memory traffic only: 0.
struct SkipWork {
  double blocks = 0;
  int64_t flops = 0;
};

// FLOPs of one skipped block's partial work for one token under `strategy` (0 for copies, mask and keep).
int64_t skipped_block_flops(const SkipStrategy& strategy, const ModelConfig& config);

// Fills blocks exit_depth+1..last (0: L) of `state` for the token at `position`, whose residual stream left the
// model after block exit_depth as h_exit[hidden]. Blocks 1..exit_depth must already hold that position (they ran).
SkipWork fill_skipped_blocks(Model& model, ModelState& state, const SkipStrategy& strategy, int exit_depth,
                             const float* h_exit, int position, int last = 0);

}  // namespace dynamax
