#include "core/exits/logit_lens.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/common/error.h"

namespace dynamax {

void top_k_logprobs(const float* logits, int vocab, int k, int32_t* ids, float* logprobs) {
  float mx = -INFINITY;
  for (int i = 0; i < vocab; ++i) mx = std::max(mx, logits[i]);
  double sum = 0.0;
  for (int i = 0; i < vocab; ++i) sum += std::exp(double(logits[i] - mx));
  const float lse = mx + float(std::log(sum));
  // Keep the k best in a small sorted list: one pass over the vocabulary, no full sort.
  std::vector<int32_t> best;
  best.reserve(size_t(k) + 1);
  auto better = [&](int32_t a, int32_t b) { return logits[a] > logits[b] || (logits[a] == logits[b] && a < b); };
  for (int32_t i = 0; i < vocab; ++i) {
    if (int(best.size()) == k && !better(i, best.back())) continue;
    best.insert(std::upper_bound(best.begin(), best.end(), i, better), i);
    if (int(best.size()) > k) best.pop_back();
  }
  for (int r = 0; r < k; ++r) {
    ids[r] = best[size_t(r)];
    logprobs[r] = logits[best[size_t(r)]] - lse;
  }
}

LensResult logit_lens(Model& model, std::span<const int32_t> ids, int top_k, const ForwardHooks& hooks, ExitHead head) {
  if (top_k < 1 || top_k > model.vocab_size())
    throw Error("top-k must be between 1 and the vocabulary size (" + std::to_string(model.vocab_size()) + ")");
  LensResult r;
  r.depths = model.depth();
  r.positions = int(ids.size());
  r.top_k = top_k;
  r.top_ids.resize(size_t(r.depths) * r.positions * top_k);
  r.top_logprobs.resize(r.top_ids.size());
  std::vector<float> logits(size_t(r.positions) * model.vocab_size());
  SequenceExitHead exits(model, head);
  ForwardHooks lens_hooks = hooks;
  lens_hooks.after_block = [&](int depth, const float* h, int T) {
    exits.logits(depth, h, T, logits.data());
    for (int t = 0; t < T; ++t) {
      const size_t at = (size_t(depth - 1) * T + t) * top_k;
      top_k_logprobs(logits.data() + size_t(t) * model.vocab_size(), model.vocab_size(), top_k, &r.top_ids[at],
                     &r.top_logprobs[at]);
    }
    return hooks.after_block ? hooks.after_block(depth, h, T) : true;
  };
  auto state = model.new_state();
  forward(model, ids, *state, 0, lens_hooks);
  return r;
}

}  // namespace dynamax
