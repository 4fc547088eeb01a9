#include "core/exits/exit_record.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"
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

RecordingState RecordingState::clone() const { return {model->clone(), scorers}; }

RecordingState start_recording(const Model& model, std::span<const ExitScorer* const> scorers) {
  RecordingState state{model.new_state(), {}};
  for (const ExitScorer* s : scorers) state.scorers.emplace_back(s->depths().size() * s->state_size(), 0.0f);
  return state;
}

static void check_span(const RecordingState& state, std::span<const int32_t> ids, int last) {
  if (state.position() >= last || last > int(ids.size()))
    throw Error("recording: positions " + std::to_string(state.position()) + ".." + std::to_string(last - 1) +
                " are not a span of a " + std::to_string(ids.size()) + "-token sequence");
}

// Scores the rows of h after block `depth` with every scorer that has an exit there, continuing its state;
// `out(i, exit, scores)` receives scorer i's scores.
template <class Out>
static void score_exits(std::span<const ExitScorer* const> scorers, RecordingState& state, int depth, const float* h,
                        int rows, std::vector<float>& scores, Out out) {
  for (size_t i = 0; i < scorers.size(); ++i) {
    const std::vector<int>& depths = scorers[i]->depths();
    const auto at = std::find(depths.begin(), depths.end(), depth);
    if (at == depths.end()) continue;
    const size_t exit = size_t(at - depths.begin());
    scorers[i]->score_continued(depth, h, rows, state.scorers[i].data() + exit * scorers[i]->state_size(), scores.data());
    out(i, exit, scores);
  }
}

SampleRecord record_span(Model& model, RecordingState& state, std::span<const int32_t> ids, int last, int top_k,
                         const ForwardHooks& hooks, std::span<const ExitScorer* const> scorers, ExitHead head) {
  check_span(state, ids, last);
  // The last-block head runs block L over the span's own exit states: it has no context for positions before it.
  if (head == ExitHead::LastBlock && state.position() != 0)
    throw Error("recording: the last-block exit head needs whole sequences (no shared prefix)");
  const int first = state.position(), T = last - first, L = model.depth(), H = model.hidden_size(),
            V = model.vocab_size();
  const std::span<const int32_t> fed = ids.subspan(size_t(first), size_t(T));
  SampleRecord r;
  r.start = first;
  r.positions = T;
  r.depths = L;
  r.top_k = top_k;
  r.token_ids.assign(fed.begin(), fed.end());
  r.target_ids.resize(size_t(T));
  for (int t = 0; t < T; ++t) r.target_ids[size_t(t)] = first + t + 1 < int(ids.size()) ? ids[size_t(first + t + 1)] : -1;
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
  model.embed(fed, previous.data());
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
    score_exits(scorers, state, depth, h, rows, scores, [&](size_t i, size_t exit, const std::vector<float>& s) {
      ClassifierScores& c = r.classifier_scores[i];
      for (int t = 0; t < rows; ++t) c.scores[size_t(t) * c.depths.size() + exit] = s[size_t(t)];
    });
    std::copy(h, h + size_t(rows) * H, previous.begin());
    return hooks.after_block ? hooks.after_block(depth, h, rows) : true;
  };
  forward(model, fed, *state.model, 0, recording);
  r.final_top1.resize(size_t(T));
  for (int t = 0; t < T; ++t) r.final_top1[size_t(t)] = r.at(t, L).top1;
  return r;
}

void advance_recording(Model& model, RecordingState& state, std::span<const int32_t> ids, int last,
                       const ForwardHooks& hooks, std::span<const ExitScorer* const> scorers) {
  check_span(state, ids, last);
  const int first = state.position(), T = last - first;
  std::vector<float> scores(static_cast<size_t>(T));
  ForwardHooks advancing = hooks;
  advancing.after_block = [&](int depth, const float* h, int rows) {
    score_exits(scorers, state, depth, h, rows, scores, [](size_t, size_t, const std::vector<float>&) {});
    return hooks.after_block ? hooks.after_block(depth, h, rows) : true;
  };
  forward(model, ids.subspan(size_t(first), size_t(T)), *state.model, 0, advancing);
}

SampleRecord record_sample(Model& model, std::span<const int32_t> ids, int top_k, const ForwardHooks& hooks,
                           std::span<const ExitScorer* const> scorers, ExitHead head) {
  RecordingState state = start_recording(model, scorers);
  return record_span(model, state, ids, int(ids.size()), top_k, hooks, scorers, head);
}

}  // namespace dynamax
