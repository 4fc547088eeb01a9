#include "core/exits/early_exit_scoring.h"

#include <cmath>

#include "core/common/error.h"
#include "core/kernels/softmax_stats.h"
#include "core/models/greedy.h"

namespace dynamax {

double ForcedScores::total_logprob() const {
  double sum = 0;
  for (float lp : logprobs) sum += lp;
  return sum;
}

float log_softmax_at(std::span<const float> logits, int32_t id) {
  if (id < 0 || size_t(id) >= logits.size()) throw Error("log_softmax_at: id " + std::to_string(id) + " is outside the vocabulary");
  const int64_t n = int64_t(logits.size());
  const TopTwo top = top_two(logits.data(), n);
  const SoftmaxSums sums = softmax_sums(logits.data(), n, top.best_value);
  return float(double(logits[size_t(id)]) - top.best_value - std::log(sums.sum));
}

ForcedScores score_continuation(EarlyExitStepper& stepper, std::span<const int32_t> prompt,
                                std::span<const int32_t> continuation) {
  const int L = stepper.model().depth(), V = stepper.model().vocab_size();
  ForcedScores s;
  stepper.prefill(prompt);
  int depth = L;
  for (size_t i = 0; i < continuation.size(); ++i) {
    if (i > 0) {
      const StepOutcome step = stepper.step(continuation[i - 1]);
      depth = step.exit_depth;
      s.blocks_executed += step.skipped.blocks;
    }
    s.logprobs.push_back(log_softmax_at(stepper.logits(), continuation[i]));
    s.top1.push_back(argmax(stepper.logits().data(), V));
    s.exit_depths.push_back(depth);
    s.blocks_executed += depth;
    s.blocks_full += L;
  }
  return s;
}

}  // namespace dynamax
