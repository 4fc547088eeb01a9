#pragma once
// What exit classifiers learn from, extracted once per sequence with the backbone frozen (one forward pass each,
// so training epochs never rerun the model): the classifier input at every exit depth and its label.
#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/exits/classifier_spec.h"
#include "core/models/model.h"

namespace dynamax {

class Dataset;

// Label 1 ("exiting here is fine") when the exit's top-1 token is among the full model's top-k; with `reverse`,
// when the full model's top-1 is among the exit's top-k.
struct ExitLabelRule {
  int top_k = 5;
  bool reverse = false;
};

struct ExitFeatureSequence {
  int T = 0;
  std::vector<std::vector<float>> inputs;    // per exit: [T × width], classifier_input(input, h_d)
  std::vector<std::vector<uint8_t>> labels;  // per exit: [T]
};

struct ExitFeatures {
  int width = 0;
  std::vector<int> depths;
  std::vector<ExitFeatureSequence> sequences;

  size_t tokens() const;
  double positive_rate(size_t exit) const;  // share of label 1 at exit index `exit` (class balance)
};

// One sequence through the model (blocks 1..L, exit head at the exit depths and at L).
ExitFeatureSequence exit_features_of(Model& model, std::span<const int32_t> ids, std::span<const int> depths,
                                     const ExitLabelRule& rule, const ForwardHooks& hooks = {},
                                     ClassifierInput input = ClassifierInput::Rms);

// The same for `ids` fed after the tokens `state` has seen (rows for the fed positions only).
ExitFeatureSequence exit_features_continued(Model& model, ModelState& state, std::span<const int32_t> ids,
                                            std::span<const int> depths, const ExitLabelRule& rule,
                                            const ForwardHooks& hooks = {},
                                            ClassifierInput input = ClassifierInput::Rms);
// head's rows followed by tail's (the same exits).
void append_features(ExitFeatureSequence& head, const ExitFeatureSequence& tail);

// Every sample of `dataset` (its whole ids); `progress(done, total)` after each. With `share_prefixes`, samples
// that share a prompt prefix (core/tasks/shared_prefixes.h) run it once and continue from a copy of the state:
// each sequence still holds all its rows, equal to a whole pass up to fp32 rounding. Throws dynamax::Error when
// the dataset yields no tokens, Cancelled when `cancel` is set.
ExitFeatures extract_exit_features(Model& model, const Dataset& dataset, std::span<const int> depths,
                                   const ExitLabelRule& rule, const std::atomic<bool>* cancel = nullptr,
                                   const std::function<void(size_t, size_t)>& progress = {},
                                   bool share_prefixes = true, ClassifierInput input = ClassifierInput::Rms);

}  // namespace dynamax
