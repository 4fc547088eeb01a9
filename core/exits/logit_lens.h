#pragma once
// The exit head read at every depth of one teacher-forced pass ("logit lens"): top-k ids and log-probs per
// (depth, position).
#include <cstdint>
#include <span>
#include <vector>

#include "core/exits/exit_head.h"
#include "core/models/model.h"

namespace dynamax {

struct LensResult {
  int depths = 0, positions = 0, top_k = 0;
  std::vector<int32_t> top_ids;     // [depth-1][position][rank]
  std::vector<float> top_logprobs;  // same layout
  int32_t id(int depth, int position, int rank) const {
    return top_ids[(size_t(depth - 1) * positions + position) * top_k + rank];
  }
  float logprob(int depth, int position, int rank) const {
    return top_logprobs[(size_t(depth - 1) * positions + position) * top_k + rank];
  }
};

// Top-k (largest first; ties by lower id) of log_softmax(logits) for one row of `vocab` logits.
void top_k_logprobs(const float* logits, int vocab, int k, int32_t* ids, float* logprobs);

// The exits' top-k at every depth; `head` says how an exit below L reads its token (exit_head.h).
LensResult logit_lens(Model& model, std::span<const int32_t> ids, int top_k, const ForwardHooks& hooks = {},
                      ExitHead head = ExitHead::Direct);

}  // namespace dynamax
