#pragma once
// Greedy generation with early exits: the prompt through the full model, then each new token through the
// EarlyExitStepper, until EOS, a stop string or the token limit. Counts what ran (blocks, FLOPs, wall time).
//
// Accounting, per generated token: the first one comes from the prompt's last position, at depth L; every later
// one from the step that fed its predecessor, at that step's exit depth. blocks_full = L · tokens;
// blocks_executed = Σ exit depths + the skip strategy's extra blocks-equivalents. FLOPs follow compute_cost.h
// (exit heads as the measure needs them) plus the exit classifier's rows and the strategy's FLOPs. The prompt's other positions are not counted.
#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/exits/early_exit_stepper.h"
#include "core/exits/repetition_penalty.h"

namespace dynamax {

struct GenerationOptions {
  int max_new_tokens = 32;
  int eos_id = -1;                        // stop after emitting this id (-1: never)
  std::vector<std::string> stop_strings;  // stop once the generated text contains one (needs `decode`)
  std::function<std::string(std::span<const int32_t>)> decode;  // ids → text; empty: no text, no stop strings
  RepetitionPenalty repetition;
  const std::atomic<bool>* cancel = nullptr;  // checked between tokens; a cancelled run throws Cancelled
};

struct GeneratedToken {
  int32_t id = 0;
  int exit_depth = 0;
  float score = 0;          // NaN when no measure was evaluated (the first token, classifiers at L)
  double extra_blocks = 0;  // the skip strategy's work for this token's step
  int64_t flops = 0;        // everything this token cost
  double seconds = 0;       // wall time of the step that produced it (the prefill for the first)
};

struct Generation {
  std::vector<int32_t> ids;  // new tokens, EOS included when it stopped the run
  std::vector<GeneratedToken> tokens;
  std::string text;         // the decoded answer without EOS, cut before the first stop string
  std::string stop_reason;  // "eos", "stop-string" or "max-new"
  int64_t blocks_full = 0;
  double blocks_executed = 0, extra_blocks = 0;
  double flops_executed = 0, flops_full = 0;
  double prefill_seconds = 0, decode_seconds = 0;

  std::vector<int> exit_depths() const;
};

Generation generate_early_exit(EarlyExitStepper& stepper, std::span<const int32_t> prompt,
                               const GenerationOptions& options);

// The position of the first stop string in `text` (npos when none).
size_t find_stop_string(std::string_view text, std::span<const std::string> stops);

}  // namespace dynamax
