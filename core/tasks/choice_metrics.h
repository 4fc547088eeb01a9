#pragma once
// Scores from log-likelihoods: TruthfulQA's multiple-choice metrics and plain-text language-model metrics.
#include <cstdint>
#include <span>
#include <utility>

#include "core/tasks/metric_conventions.h"

namespace dynamax {

// TruthfulQA MC1. `logprobs[i]` belongs to choice i; `labels[i]` is 1 for the correct choice (exactly one), 0
// otherwise. Official (the TruthfulQA script): 1 when the correct choice's summed log-probability is strictly above
// every other choice's, so a tie is wrong. lm-eval: 1 when the correct choice is the argmax, the first of tied
// choices winning (its data puts the correct choice first, so a tie is right there).
double mc1_score(std::span<const double> logprobs, std::span<const int> labels,
                 MetricConventions conventions = MetricConventions::Official);
// TruthfulQA MC2: the probability mass on the true choices, normalised over all choices:
// Σ_true e^lp / Σ_all e^lp (computed stably).
double mc2_score(std::span<const double> logprobs, std::span<const int> labels);

// Next-token accuracy and perplexity over scored tokens, accumulated sample by sample.
struct LanguageModelScore {
  int64_t tokens = 0, correct = 0;
  double nll = 0;  // Σ −log p(target)

  void add(double logprob, bool top1_is_target);
  double accuracy() const;    // correct / tokens (0 with none)
  double perplexity() const;  // exp(nll / tokens) (NaN with none)
};

}  // namespace dynamax
