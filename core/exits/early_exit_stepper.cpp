#include "core/exits/early_exit_stepper.h"

#include <algorithm>
#include <string>

#include "core/common/error.h"
#include "core/exits/exit_record.h"

namespace dynamax {

EarlyExitStepper::EarlyExitStepper(Model& model, ExitRule rule, SkipStrategy skip, ExitScoreHook scorer)
    : model_(model), rule_(std::move(rule)), skip_(skip), scorer_(std::move(scorer)) {
  const int L = model_.depth();
  if (rule_.policy.depths != L)
    throw Error("early exit: the policy is for " + std::to_string(rule_.policy.depths) + " depths, the model has " +
                std::to_string(L));
  if (rule_.measure.kind == MeasureKind::Classifier && !scorer_)
    throw Error("measure '" + rule_.measure.name() +
                "': classifiers are not available for generation yet (no classifier scorer was supplied)");
  decides_.assign(size_t(L) + 1, 0);
  for (int d : rule_.policy.decision_depths()) decides_[size_t(d)] = 1;
  h_.resize(size_t(model_.hidden_size()));
  h_before_.resize(h_.size());
  logits_.resize(size_t(model_.vocab_size()));
}

bool EarlyExitStepper::needs_head_to_score() const {
  return rule_.measure.kind != MeasureKind::Saturation && rule_.measure.kind != MeasureKind::Classifier;
}

void EarlyExitStepper::prefill(std::span<const int32_t> prompt) {
  if (prompt.empty()) throw Error("early exit: the prompt is empty (at least one token, e.g. BOS, is needed)");
  state_ = model_.new_state();
  const std::vector<float> h = forward(model_, prompt, *state_);
  model_.exit_head(h.data() + (prompt.size() - 1) * h_.size(), 1, logits_.data());
}

float EarlyExitStepper::score_exit(int depth, const float* h, const float* h_before, int position) {
  const int V = model_.vocab_size(), H = model_.hidden_size();
  switch (rule_.measure.kind) {
    case MeasureKind::MaxProb: return measures_from_logits(logits_.data(), V).prob;
    case MeasureKind::Margin: return measures_from_logits(logits_.data(), V).margin;
    case MeasureKind::Entropy: return -measures_from_logits(logits_.data(), V).entropy;  // higher = more confident
    case MeasureKind::Saturation: return cosine(h, h_before, H);
    case MeasureKind::Classifier: return scorer_(rule_.measure, depth, std::span<const float>(h, size_t(H)), position);
  }
  throw Error("unknown confidence measure kind");
}

StepOutcome EarlyExitStepper::step(int32_t token) {
  if (!state_) throw Error("early exit: step() before prefill()");
  const int L = model_.depth(), position = state_->position;
  const bool head_scores = needs_head_to_score();
  StepOutcome out;
  model_.embed(std::span<const int32_t>(&token, 1), h_.data());
  for (int d = 1; d <= L; ++d) {
    std::copy(h_.begin(), h_.end(), h_before_.begin());
    model_.run_block(d, h_.data(), 1, position, *state_);
    if (!decides_[size_t(d)]) continue;
    if (head_scores) {
      model_.exit_head(h_.data(), 1, logits_.data());
      ++out.head_evaluations;
    }
    const float score = score_exit(d, h_.data(), h_before_.data(), position);
    if (score >= rule_.threshold) {
      out.exit_depth = d;
      out.score = score;
      break;
    }
  }
  if (out.exit_depth == 0) {
    out.exit_depth = L;
    model_.exit_head(h_.data(), 1, logits_.data());
    ++out.head_evaluations;
    if (rule_.measure.kind != MeasureKind::Classifier) out.score = score_exit(L, h_.data(), h_before_.data(), position);
  } else if (!head_scores) {
    model_.exit_head(h_.data(), 1, logits_.data());
    ++out.head_evaluations;
  }
  out.skipped = fill_skipped_blocks(model_, *state_, skip_, out.exit_depth, h_.data(), position);
  state_->position = position + 1;
  return out;
}

}  // namespace dynamax
