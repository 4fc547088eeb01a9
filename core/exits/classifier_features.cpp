#include "core/exits/classifier_features.h"

#include <algorithm>
#include <map>
#include <memory>

#include "core/common/error.h"
#include "core/exits/exit_classifier.h"
#include "core/exits/logit_lens.h"
#include "core/tasks/dataset.h"
#include "core/tasks/shared_prefixes.h"

namespace dynamax {

size_t ExitFeatures::tokens() const {
  size_t n = 0;
  for (const auto& s : sequences) n += size_t(s.T);
  return n;
}

double ExitFeatures::positive_rate(size_t exit) const {
  size_t positives = 0;
  for (const auto& s : sequences) positives += size_t(std::count(s.labels[exit].begin(), s.labels[exit].end(), 1));
  return tokens() ? double(positives) / double(tokens()) : 0.0;
}

ExitFeatureSequence exit_features_of(Model& model, std::span<const int32_t> ids, std::span<const int> depths,
                                     const ExitLabelRule& rule, const ForwardHooks& hooks, ClassifierInput input) {
  auto state = model.new_state();
  return exit_features_continued(model, *state, ids, depths, rule, hooks, input);
}

ExitFeatureSequence exit_features_continued(Model& model, ModelState& state, std::span<const int32_t> ids,
                                            std::span<const int> depths, const ExitLabelRule& rule,
                                            const ForwardHooks& hooks, ClassifierInput input) {
  const int T = int(ids.size()), H = model.hidden_size(), V = model.vocab_size(), L = model.depth();
  if (rule.top_k < 1 || rule.top_k > V)
    throw Error("top-k must be between 1 and the vocabulary size (" + std::to_string(V) + ")");
  ExitFeatureSequence s;
  s.T = T;
  s.inputs.assign(depths.size(), std::vector<float>(size_t(T) * H));
  s.labels.assign(depths.size(), std::vector<uint8_t>(size_t(T)));
  // The exits' top-k (reverse rule) or top-1, kept until the full model's top-k or top-1 is known at depth L.
  const int exit_k = rule.reverse ? rule.top_k : 1, final_k = rule.reverse ? 1 : rule.top_k;
  std::vector<std::vector<int32_t>> exit_top(depths.size(), std::vector<int32_t>(size_t(T) * exit_k));
  std::vector<int32_t> final_top(size_t(T) * final_k);
  std::vector<float> logits(size_t(T) * V), logprobs(size_t(std::max(exit_k, final_k)));
  ForwardHooks collecting = hooks;
  collecting.after_block = [&](int depth, const float* h, int rows) {
    const auto at = std::find(depths.begin(), depths.end(), depth);
    if (at != depths.end() || depth == L) {
      model.exit_head(h, rows, logits.data());
      const bool is_exit = at != depths.end();
      const size_t e = size_t(at - depths.begin());
      if (is_exit) classifier_input(input, h, rows, H, s.inputs[e].data());
      for (int t = 0; t < rows; ++t) {
        const float* row = logits.data() + size_t(t) * V;
        if (is_exit) top_k_logprobs(row, V, exit_k, &exit_top[e][size_t(t) * exit_k], logprobs.data());
        if (depth == L) top_k_logprobs(row, V, final_k, &final_top[size_t(t) * final_k], logprobs.data());
      }
    }
    return hooks.after_block ? hooks.after_block(depth, h, rows) : true;
  };
  forward(model, ids, state, 0, collecting);
  for (size_t e = 0; e < depths.size(); ++e)
    for (int t = 0; t < T; ++t) {
      // Is `needle` (the one token of one side) among the k of the other side?
      const int32_t* many = rule.reverse ? &exit_top[e][size_t(t) * exit_k] : &final_top[size_t(t) * final_k];
      const int32_t needle = rule.reverse ? final_top[size_t(t)] : exit_top[e][size_t(t)];
      s.labels[e][size_t(t)] = std::find(many, many + rule.top_k, needle) != many + rule.top_k;
    }
  return s;
}

void append_features(ExitFeatureSequence& head, const ExitFeatureSequence& tail) {
  head.T += tail.T;
  for (size_t e = 0; e < head.inputs.size(); ++e) {
    head.inputs[e].insert(head.inputs[e].end(), tail.inputs[e].begin(), tail.inputs[e].end());
    head.labels[e].insert(head.labels[e].end(), tail.labels[e].begin(), tail.labels[e].end());
  }
}

namespace {

// A shared prefix's features and the model state after it, kept while its members are extracted.
struct ExtractedPrefix {
  std::unique_ptr<ModelState> state;
  ExitFeatureSequence features;
  size_t members_left = 0;
};

}  // namespace

ExitFeatures extract_exit_features(Model& model, const Dataset& dataset, std::span<const int> depths,
                                   const ExitLabelRule& rule, const std::atomic<bool>* cancel,
                                   const std::function<void(size_t, size_t)>& progress, bool share_prefixes,
                                   ClassifierInput input) {
  ExitFeatures f;
  f.width = model.hidden_size();
  f.depths.assign(depths.begin(), depths.end());
  ForwardHooks hooks;
  hooks.cancel = cancel;
  std::vector<SharedPrefix> groups;
  if (share_prefixes) groups = find_dataset_prefixes(dataset);
  std::vector<size_t> group_of(dataset.size(), groups.size());
  for (size_t g = 0; g < groups.size(); ++g)
    for (size_t i : groups[g].members) group_of[i] = g;
  std::map<size_t, ExtractedPrefix> open;  // by group
  for (size_t i = 0; i < dataset.size(); ++i) {
    if (cancel && cancel->load()) throw Cancelled();
    const Sample sample = dataset.sample(i);
    const size_t g = group_of[i];
    if (g == groups.size()) {
      if (!sample.ids.empty()) f.sequences.push_back(exit_features_of(model, sample.ids, depths, rule, hooks, input));
    } else {
      auto [at, fresh] = open.try_emplace(g);
      ExtractedPrefix& prefix = at->second;
      const std::span<const int32_t> ids(sample.ids);
      const size_t length = size_t(groups[g].length);
      if (fresh) {
        prefix.state = model.new_state();
        prefix.features = exit_features_continued(model, *prefix.state, ids.first(length), depths, rule, hooks, input);
        prefix.members_left = groups[g].members.size();
      }
      auto state = prefix.state->clone();
      ExitFeatureSequence s = prefix.features;
      append_features(s, exit_features_continued(model, *state, ids.subspan(length), depths, rule, hooks, input));
      f.sequences.push_back(std::move(s));
      if (--prefix.members_left == 0) open.erase(at);
    }
    if (progress) progress(i + 1, dataset.size());
  }
  if (f.tokens() == 0) throw Error("the training data gives no tokens to learn from");
  return f;
}

}  // namespace dynamax
