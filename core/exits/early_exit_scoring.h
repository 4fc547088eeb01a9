#pragma once
// Teacher-forced scoring through the early-exit path: the prompt runs the full model, then the continuation's
// tokens are fed one at a time through the EarlyExitStepper, and each is scored under the distribution of the
// exit that predicted it. For TruthfulQA MC1/MC2 (log-likelihood per choice) and plain-text next-token accuracy
// and perplexity "with the policy".
#include <cstdint>
#include <span>
#include <vector>

#include "core/exits/early_exit_stepper.h"

namespace dynamax {

struct ForcedScores {
  std::vector<float> logprobs;   // log p(continuation[i] | everything before it), one per continuation token
  std::vector<int32_t> top1;     // the argmax the exit predicted in its place
  std::vector<int> exit_depths;  // the depth that predicted it (L for the first: the prompt's last position)
  double blocks_executed = 0;    // Σ exit depths + skip work, as in early_exit_decoder.h
  int64_t blocks_full = 0;

  double total_logprob() const;
};

// `prompt` must not be empty; an empty continuation scores nothing.
ForcedScores score_continuation(EarlyExitStepper& stepper, std::span<const int32_t> prompt,
                                std::span<const int32_t> continuation);

// log softmax(logits)[id], computed stably.
float log_softmax_at(std::span<const float> logits, int32_t id);

}  // namespace dynamax
