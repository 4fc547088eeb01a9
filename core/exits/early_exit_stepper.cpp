#include "core/exits/early_exit_stepper.h"

#include <algorithm>
#include <string>

#include "core/common/error.h"
#include "core/exits/classifier_file.h"
#include "core/analysis/compute_cost.h"
#include "core/exits/exit_record.h"

namespace dynamax {

EarlyExitStepper::EarlyExitStepper(Model& model, ExitRule rule, SkipStrategy skip, ClassifierStream* classifier)
    : model_(model), rule_(std::move(rule)), skip_(skip),
      classifier_(rule_.measure.kind == MeasureKind::Classifier ? classifier : nullptr) {
  const int L = model_.depth();
  if (rule_.policy.depths != L)
    throw Error("early exit: the policy is for " + std::to_string(rule_.policy.depths) + " depths, the model has " +
                std::to_string(L));
  decides_.assign(size_t(L) + 1, 0);
  for (int d : rule_.policy.decision_depths()) decides_[size_t(d)] = 1;
  h_.resize(size_t(model_.hidden_size()));
  h_before_.resize(h_.size());
  logits_.resize(size_t(model_.vocab_size()));
  if (rule_.measure.kind != MeasureKind::Classifier) return;
  const std::string measure = "measure '" + rule_.measure.name() + "': ";
  if (!classifier_) throw Error(measure + "no exit classifier was loaded (give its file with --classifiers)");
  const ExitClassifier& c = classifier_->classifier();
  if (c.name() != rule_.measure.classifier)
    throw Error(measure + "the loaded classifier is named '" + c.name() + "'");
  check_classifier_fits(c, model_.hidden_size(), L, "this model");
  for (int d : rule_.policy.decision_depths())
    if (!classifier_->has_exit(d))
      throw Error(measure + "the policy decides at depth " + std::to_string(d) + ", where '" + c.name() +
                  "' has no exit (give --depths among its exits)");
}

int64_t EarlyExitStepper::classifier_flops() const { return classifier_ ? classifier_->classifier().flops_per_token() : 0; }

bool EarlyExitStepper::needs_head_to_score() const {
  return rule_.measure.kind != MeasureKind::Saturation && rule_.measure.kind != MeasureKind::Classifier;
}

void EarlyExitStepper::prefill(std::span<const int32_t> prompt) {
  if (prompt.empty()) throw Error("early exit: the prompt is empty (at least one token, e.g. BOS, is needed)");
  if (shared_ && shared_->state && std::ranges::equal(shared_->prompt, prompt) &&
      (!classifier_ || &classifier_->classifier() == shared_->classifier)) {
    state_ = shared_->state->clone();
    logits_ = shared_->logits;
    if (classifier_) classifier_->set_states(shared_->classifier_states);
    return;
  }
  state_ = model_.new_state();
  ForwardHooks hooks;
  if (classifier_) {
    classifier_->reset();
    hooks.after_block = [&](int depth, const float* h, int rows) {
      if (classifier_->has_exit(depth)) classifier_->advance(depth, h, rows, nullptr);
      return true;
    };
  }
  const std::vector<float> h = forward(model_, prompt, *state_, 0, hooks);
  model_.exit_head(h.data() + (prompt.size() - 1) * h_.size(), 1, logits_.data());
  if (!shared_) return;
  shared_->prompt.assign(prompt.begin(), prompt.end());
  shared_->state = state_->clone();
  shared_->logits = logits_;
  shared_->classifier = classifier_ ? &classifier_->classifier() : nullptr;
  shared_->classifier_states = classifier_ ? classifier_->states() : std::vector<std::vector<float>>{};
}

float EarlyExitStepper::score_exit(const float* h, const float* h_before) {
  const int V = model_.vocab_size(), H = model_.hidden_size();
  switch (rule_.measure.kind) {
    case MeasureKind::MaxProb: return measures_from_logits(logits_.data(), V).prob;
    case MeasureKind::Margin: return measures_from_logits(logits_.data(), V).margin;
    case MeasureKind::Entropy: return -measures_from_logits(logits_.data(), V).entropy;  // higher = more confident
    case MeasureKind::Saturation: return cosine(h, h_before, H);
    case MeasureKind::Classifier: break;  // scored as the token passes (step)
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
    float classifier_score = 0.0f;
    if (classifier_ && classifier_->has_exit(d)) {
      classifier_score = classifier_->advance_one(d, h_.data());
      ++out.classifier_evaluations;
    }
    if (!decides_[size_t(d)]) continue;
    if (head_scores) {
      model_.exit_head(h_.data(), 1, logits_.data());
      ++out.head_evaluations;
    }
    const float score = classifier_ ? classifier_score : score_exit(h_.data(), h_before_.data());
    if (score >= rule_.threshold) {
      out.exit_depth = d;
      out.score = score;
      break;
    }
  }
  const bool last_block = rule_.head == ExitHead::LastBlock && out.exit_depth != 0;
  if (out.exit_depth == 0) {
    out.exit_depth = L;
    model_.exit_head(h_.data(), 1, logits_.data());
    ++out.head_evaluations;
    if (!classifier_) out.score = score_exit(h_.data(), h_before_.data());
  } else if (!head_scores && !last_block) {
    model_.exit_head(h_.data(), 1, logits_.data());
    ++out.head_evaluations;
  }
  if (classifier_ && classifier_->carries_state())
    for (int d : classifier_->classifier().depths())
      if (d > out.exit_depth) {
        classifier_->advance(d, h_.data(), 1, nullptr);
        ++out.classifier_evaluations;
      }
  if (last_block) {
    // Blocks exit_depth+1..L−1 are skipped as usual; block L runs on the exit state (its cache entry included)
    // and the token is read after it.
    out.skipped = fill_skipped_blocks(model_, *state_, skip_, out.exit_depth, h_.data(), position, L - 1);
    std::copy(h_.begin(), h_.end(), h_before_.begin());
    model_.run_block(L, h_before_.data(), 1, position, *state_);
    model_.exit_head(h_before_.data(), 1, logits_.data());
    ++out.head_evaluations;
    const int64_t block = block_flops(model_.config(), position, L - 1);
    out.skipped.flops += block;
    out.skipped.blocks += 1.0;
  } else {
    out.skipped = fill_skipped_blocks(model_, *state_, skip_, out.exit_depth, h_.data(), position);
  }
  state_->position = position + 1;
  return out;
}

}  // namespace dynamax
