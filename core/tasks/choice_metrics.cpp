#include "core/tasks/choice_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/common/error.h"

namespace dynamax {

static void check_choices(std::span<const double> logprobs, std::span<const int> labels) {
  if (logprobs.size() != labels.size() || logprobs.empty())
    throw Error("multiple choice: " + std::to_string(logprobs.size()) + " scores for " + std::to_string(labels.size()) +
                " labelled choices");
}

double mc1_score(std::span<const double> logprobs, std::span<const int> labels, MetricConventions conventions) {
  check_choices(logprobs, labels);
  const auto correct = std::find(labels.begin(), labels.end(), 1);
  if (correct == labels.end()) throw Error("MC1: no choice is labelled correct");
  const size_t c = size_t(correct - labels.begin());
  if (conventions == MetricConventions::LmEval)
    return size_t(std::max_element(logprobs.begin(), logprobs.end()) - logprobs.begin()) == c ? 1.0 : 0.0;
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] != 1 && logprobs[i] >= logprobs[c]) return 0.0;
  return 1.0;
}

double mc2_score(std::span<const double> logprobs, std::span<const int> labels) {
  check_choices(logprobs, labels);
  const double shift = *std::max_element(logprobs.begin(), logprobs.end());
  double all = 0, true_mass = 0;
  for (size_t i = 0; i < logprobs.size(); ++i) {
    const double p = std::exp(logprobs[i] - shift);
    all += p;
    if (labels[i] == 1) true_mass += p;
  }
  return true_mass / all;
}

void LanguageModelScore::add(double logprob, bool top1_is_target) {
  ++tokens;
  correct += top1_is_target ? 1 : 0;
  nll -= logprob;
}

double LanguageModelScore::accuracy() const { return tokens ? double(correct) / double(tokens) : 0.0; }

double LanguageModelScore::perplexity() const {
  return tokens ? std::exp(nll / double(tokens)) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace dynamax
