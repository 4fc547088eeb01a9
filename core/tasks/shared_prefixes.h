#pragma once
// Which samples of a run share a prompt prefix worth computing once (the TruthfulQA primer, TriviaQA's shots, a
// CoQA story with its earlier turns). Found on the sorted token sequences: the longest common prefix of any set of
// samples is the minimum of their sorted neighbours' common prefixes, so the choice is made on that array alone.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/tasks/dataset.h"

namespace dynamax {

// A prefix shared by two or more samples: their positions 0..length−1 are recorded once, and each member
// continues from a copy of the state at `length`. members: indices into the input, ascending.
struct SharedPrefix {
  int length = 0;
  std::vector<size_t> members;
};

// Shorter prefixes are not worth a group of their own.
constexpr int kMinSharedPrefix = 16;

// `prompts[i]`: the prompt of sample i (its first prompt_tokens ids). A prefix of length P needs its members to
// agree on P + 1 tokens (the target of position P − 1 is token P) and stays inside every member's prompt, so its
// positions never predict an answer token. Each sample joins at most one prefix; among the ways to group the
// samples, the one that saves the most token passes (Σ (members − 1) × length) is chosen. Groups come in the
// order of their first member.
std::vector<SharedPrefix> find_shared_prefixes(const std::vector<std::span<const int32_t>>& prompts,
                                               int min_length = kMinSharedPrefix);

// The same over every sample of `dataset` (its prompt tokens); members index the dataset.
std::vector<SharedPrefix> find_dataset_prefixes(const Dataset& dataset, int min_length = kMinSharedPrefix);

}  // namespace dynamax
