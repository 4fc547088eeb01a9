#include "core/exits/exit_record.h"

#include <algorithm>
#include <cmath>

#include "core/exits/logit_lens.h"
#include "core/kernels/softmax_stats.h"

namespace dynamax {

ExitMeasures measures_from_logits(const float* logits, int vocab) {
  const TopTwo top = top_two(logits, vocab);
  const SoftmaxSums sums = softmax_sums(logits, vocab, top.best_value);
  ExitMeasures m;
  m.top1 = int32_t(top.best);
  m.prob = float(1.0 / sums.sum);
  m.margin = float((1.0 - std::exp(double(top.second_value) - top.best_value)) / sums.sum);
  m.entropy = float(std::log(sums.sum) - sums.weighted / sums.sum);  // H = log Σe^z − Σ p·z
  return m;
}

float cosine(const float* a, const float* b, int n) {
  double ab = 0, aa = 0, bb = 0;
  for (int i = 0; i < n; ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return aa > 0 && bb > 0 ? float(ab / std::sqrt(aa * bb)) : 0.0f;
}

SampleRecord record_sample(Model& model, std::span<const int32_t> ids, int top_k, const ForwardHooks& hooks,
                           std::span<const ExitScorer* const> scorers, ExitHead head) {
  const int T = int(ids.size()), L = model.depth(), H = model.hidden_size(), V = model.vocab_size();
  SampleRecord r;
  r.positions = T;
  r.depths = L;
  r.top_k = top_k;
  r.token_ids.assign(ids.begin(), ids.end());
  r.target_ids.resize(size_t(T));
  for (int t = 0; t < T; ++t) r.target_ids[size_t(t)] = t + 1 < T ? ids[size_t(t) + 1] : -1;
  r.exits.resize(size_t(T) * L);
  if (top_k > 0) {
    r.topk_ids.resize(size_t(T) * L * top_k);
    r.topk_logprobs.resize(r.topk_ids.size());
  }
  for (const ExitScorer* s : scorers)
    r.classifier_scores.push_back({s->name(), s->depths(), std::vector<float>(size_t(T) * s->depths().size())});
  std::vector<float> previous(size_t(T) * H), logits(size_t(T) * V), scores(static_cast<size_t>(T));
  const bool last_block = head == ExitHead::LastBlock;
  std::vector<float> predicted(last_block ? logits.size() : 0);
  SequenceExitHead prediction(model, head);
  model.embed(ids, previous.data());
  ForwardHooks recording = hooks;
  recording.after_block = [&](int depth, const float* h, int rows) {
    model.exit_head(h, rows, logits.data());
    const bool separate = last_block && depth < L;
    if (separate) prediction.logits(depth, h, rows, predicted.data());
    for (int t = 0; t < rows; ++t) {
      const float* row = logits.data() + size_t(t) * V;
      const float* predicted_row = separate ? predicted.data() + size_t(t) * V : row;
      ExitMeasures m = measures_from_logits(row, V);
      if (separate) m.top1 = int32_t(top_two(predicted_row, V).best);
      m.saturation = cosine(h + size_t(t) * H, previous.data() + size_t(t) * H, H);
      const size_t at = size_t(t) * L + (depth - 1);
      r.exits[at] = m;
      if (top_k > 0) top_k_logprobs(predicted_row, V, top_k, &r.topk_ids[at * top_k], &r.topk_logprobs[at * top_k]);
    }
    for (size_t i = 0; i < scorers.size(); ++i) {
      ClassifierScores& c = r.classifier_scores[i];
      const auto at = std::find(c.depths.begin(), c.depths.end(), depth);
      if (at == c.depths.end()) continue;
      scorers[i]->score(depth, h, rows, scores.data());
      const size_t exit = size_t(at - c.depths.begin());
      for (int t = 0; t < rows; ++t) c.scores[size_t(t) * c.depths.size() + exit] = scores[size_t(t)];
    }
    std::copy(h, h + size_t(rows) * H, previous.begin());
    return hooks.after_block ? hooks.after_block(depth, h, rows) : true;
  };
  auto state = model.new_state();
  forward(model, ids, *state, 0, recording);
  r.final_top1.resize(size_t(T));
  for (int t = 0; t < T; ++t) r.final_top1[size_t(t)] = r.at(t, L).top1;
  return r;
}

}  // namespace dynamax
