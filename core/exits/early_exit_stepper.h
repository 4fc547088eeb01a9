#pragma once
// One token at a time through the model with an exit policy: blocks run one by one; at each decision depth the
// exit's confidence is scored, and the token leaves at the first depth whose score reaches τ (else at L). The
// blocks after the exit do not run; the skip strategy fills their cache/state for later tokens. The prompt
// (prefill) always runs the full model. Both generation and teacher-forced scoring step through this.
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "core/analysis/confidence_measure.h"
#include "core/analysis/exit_policy.h"
#include "core/exits/classifier_stream.h"
#include "core/exits/exit_head.h"
#include "core/exits/skip_strategies.h"
#include "core/models/model.h"

namespace dynamax {

// Where and when a token may leave: the measure, its threshold τ, and the allowed depths (with the minimum).
struct ExitRule {
  ConfidenceMeasure measure;
  double threshold = std::numeric_limits<double>::infinity();  // +inf: never exits (the full model)
  ExitPolicy policy;
  ExitHead head = ExitHead::Direct;  // how an exit below L reads its token (exit_head.h)
};

struct StepOutcome {
  int exit_depth = 0;
  float score = std::numeric_limits<float>::quiet_NaN();  // the measure at the exit depth; NaN when not evaluated
  int head_evaluations = 0;                               // exit heads run to decide and to read the token
  int classifier_evaluations = 0;  // exit classifier rows: at the depths passed, and past the exit for a stateful one
  SkipWork skipped;  // extra work for blocks exit_depth+1..L: the strategy's, and block L itself with last-block
};

// What a prefill leaves behind (the full model's state, its last logits and, when it ran one, a classifier's
// stream states), kept so that the steppers sharing it — the policies of an evaluation, the choices of a
// multiple-choice question — continue one computed prompt instead of running it again.
struct PrefilledPrompt {
  std::vector<int32_t> prompt;
  std::unique_ptr<ModelState> state;
  std::vector<float> logits;
  const ExitClassifier* classifier = nullptr;  // whose stream states are kept (null: none)
  std::vector<std::vector<float>> classifier_states;
};

class EarlyExitStepper {
 public:
  // A `classifier:NAME` measure scores with `classifier` (that classifier, for this model, with an exit at every
  // depth the policy decides at); a stateful one is fed every token at every exit depth, the exit's h_d standing in
  // for the depths a token skips. Throws dynamax::Error for a policy made for another depth or a classifier that
  // does not fit.
  EarlyExitStepper(Model& model, ExitRule rule, SkipStrategy skip, ClassifierStream* classifier = nullptr);

  // Runs `prompt` (not empty) through every block of a fresh state; logits() then holds its last position's.
  // With a shared PrefilledPrompt of the same prompt (and this stepper's classifier, if it has one), continues a
  // copy of it instead; a prompt computed here is kept there.
  void prefill(std::span<const int32_t> prompt);
  void share_prefills(PrefilledPrompt* shared) { shared_ = shared; }
  // Feeds `token` at the next position through the early-exit path; logits() then holds the exit's logits.
  StepOutcome step(int32_t token);

  std::span<const float> logits() const { return logits_; }
  ModelState& state() { return *state_; }
  int position() const { return state_ ? state_->position : 0; }
  Model& model() { return model_; }
  const ExitRule& rule() const { return rule_; }
  const SkipStrategy& skip() const { return skip_; }
  int64_t classifier_flops() const;  // one classifier row (0 without a classifier measure)

 private:
  bool needs_head_to_score() const;
  // The score of a softmax or saturation measure at an exit (logits_ computed first for the softmax ones).
  float score_exit(const float* h, const float* h_before);

  Model& model_;
  ExitRule rule_;
  SkipStrategy skip_;
  ClassifierStream* classifier_;  // null unless the measure is a classifier
  std::unique_ptr<ModelState> state_;
  PrefilledPrompt* shared_ = nullptr;
  std::vector<float> h_, h_before_, logits_;
  std::vector<char> decides_;  // [L + 1]: 1 at the depths where the score decides
};

}  // namespace dynamax
