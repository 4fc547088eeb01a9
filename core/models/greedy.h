#pragma once
// Greedy decoding with the full model: prefill the prompt, then one token at a time through the state.
#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/models/model.h"

namespace dynamax {

struct GreedyOptions {
  int max_new_tokens = 32;
  int eos_id = -1;                    // stop after emitting this id (-1: never)
  bool use_cache = true;              // false: re-run the whole sequence for every token (a test oracle)
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(int32_t id)> on_token;  // streams each new id
};

// Index of the largest value (the first one on ties, like torch.argmax).
int32_t argmax(const float* values, int n);

// New token ids after `prompt` (which must not be empty).
std::vector<int32_t> greedy_generate(Model& model, const std::vector<int32_t>& prompt, const GreedyOptions& options);

}  // namespace dynamax
