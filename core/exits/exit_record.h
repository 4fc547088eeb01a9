#pragma once
// What one teacher-forced pass records for a sample: for every position, the input, the ground-truth next token
// and the full model's top-1; for every (position, depth), the exit's top-1 and its confidence measures.
#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/exits/exit_head.h"
#include "core/exits/exit_scorer.h"
#include "core/models/model.h"

namespace dynamax {

// Confidence of one exit (one position at one depth).
struct ExitMeasures {
  int32_t top1 = 0;
  float prob = 0;        // softmax probability of top1
  float margin = 0;      // p(top1) − p(top2)
  float entropy = 0;     // of the exit distribution, nats
  float saturation = 0;  // cosine of h_d with h_{d−1} (h_0 = the embeddings)
};

// One exit classifier's scores over a sample: p(exit) per (position, exit depth), position-major.
struct ClassifierScores {
  std::string name;
  std::vector<int> depths;
  std::vector<float> scores;  // [T × depths.size()]
};

struct SampleRecord {
  // Rows 0..positions−1 are the sequence's positions start..start+positions−1: a sample continued from a shared
  // prefix records only the positions after it (start = the prefix's length).
  int start = 0, positions = 0, depths = 0, top_k = 0;
  std::vector<int32_t> token_ids;   // [T] the input at each position
  std::vector<int32_t> target_ids;  // [T] the ground-truth next token (−1 at the last position)
  std::vector<int32_t> final_top1;  // [T] the full model's prediction (= exits at depth L)
  std::vector<ExitMeasures> exits;  // [T × L], position-major: exits[t * L + (d − 1)]
  std::vector<int32_t> topk_ids;    // [T × L × k] when top_k > 0, same order, best first
  std::vector<float> topk_logprobs;
  std::vector<ClassifierScores> classifier_scores;  // one per scorer given to record_sample

  const ExitMeasures& at(int row, int depth) const { return exits[size_t(row) * depths + (depth - 1)]; }
};

// Confidence measures of one row of logits (softmax computed in double for the sums).
ExitMeasures measures_from_logits(const float* logits, int vocab);
// Cosine similarity of two vectors (0 when either is zero).
float cosine(const float* a, const float* b, int n);

// Where a teacher-forced recording stands after its first position() tokens: the model's state and every
// scorer's state at each of its exits. Samples that share a prompt prefix continue from clones of one state.
struct RecordingState {
  std::unique_ptr<ModelState> model;
  std::vector<std::vector<float>> scorers;  // [scorer][exit index × scorer state_size()]

  int position() const { return model->position; }
  RecordingState clone() const;
};
RecordingState start_recording(const Model& model, std::span<const ExitScorer* const> scorers = {});

// Records positions [state.position(), last) of the sequence `ids` (the targets are ids[t + 1], −1 after the end of
// ids), continuing `state` and leaving it at `last`. The scorers must be those the state was started with. The
// last-block `head` (see record_sample) needs the span to start at position 0.
SampleRecord record_span(Model& model, RecordingState& state, std::span<const int32_t> ids, int last, int top_k = 0,
                         const ForwardHooks& hooks = {}, std::span<const ExitScorer* const> scorers = {},
                         ExitHead head = ExitHead::Direct);
// Feeds positions [state.position(), last) of `ids` without exit heads: the state a stored prefix left behind,
// rebuilt at the cost of the blocks alone.
void advance_recording(Model& model, RecordingState& state, std::span<const int32_t> ids, int last,
                       const ForwardHooks& hooks = {}, std::span<const ExitScorer* const> scorers = {});

// One teacher-forced pass over `ids` with the exit head at every depth. `top_k` > 0 also keeps the top-k ids and
// log-probs per (position, depth). Cancel and progress through `hooks` (checked between blocks). Each of `scorers`
// scores the residual stream at its depths. With `head` last-block, each exit's top1 and top-k are the last-block
// prediction (exit_head.h) while prob, margin and entropy stay the direct head's (they decide, it predicts).
SampleRecord record_sample(Model& model, std::span<const int32_t> ids, int top_k = 0, const ForwardHooks& hooks = {},
                           std::span<const ExitScorer* const> scorers = {}, ExitHead head = ExitHead::Direct);

}  // namespace dynamax
