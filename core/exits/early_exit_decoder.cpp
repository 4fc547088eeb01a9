#include "core/exits/early_exit_decoder.h"

#include <chrono>

#include "core/analysis/compute_cost.h"
#include "core/models/greedy.h"

namespace dynamax {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

HeadEvaluations head_evaluations_of(const ConfidenceMeasure& m) {
  return m.kind == MeasureKind::Saturation || m.kind == MeasureKind::Classifier ? HeadEvaluations::ExitOnly
                                                                                : HeadEvaluations::EveryAllowedDepthToExit;
}

std::string decoded_answer(const GenerationOptions& o, std::span<const int32_t> ids) {
  if (!o.decode) return {};
  if (!ids.empty() && ids.back() == o.eos_id) ids = ids.first(ids.size() - 1);
  return o.decode(ids);
}

}  // namespace

std::vector<int> Generation::exit_depths() const {
  std::vector<int> out;
  for (const GeneratedToken& t : tokens) out.push_back(t.exit_depth);
  return out;
}

size_t find_stop_string(std::string_view text, std::span<const std::string> stops) {
  size_t first = std::string_view::npos;
  for (const std::string& s : stops)
    if (!s.empty()) first = std::min(first, text.find(s));
  return first;
}

Generation generate_early_exit(EarlyExitStepper& stepper, std::span<const int32_t> prompt,
                               const GenerationOptions& options) {
  Model& model = stepper.model();
  const int L = model.depth(), V = model.vocab_size();
  const ExitCost cost(model.config(), stepper.rule().policy, {head_evaluations_of(stepper.rule().measure), 0});
  Generation g;
  std::vector<float> logits(static_cast<size_t>(V));
  auto choose = [&](GeneratedToken& t) {
    const std::span<const float> exit_logits = stepper.logits();
    std::copy(exit_logits.begin(), exit_logits.end(), logits.begin());
    apply_repetition_penalty(options.repetition, g.ids, logits);
    t.id = argmax(logits.data(), V);
    g.ids.push_back(t.id);
    g.tokens.push_back(t);
    g.blocks_full += L;
    g.blocks_executed += t.exit_depth + t.extra_blocks;
    g.extra_blocks += t.extra_blocks;
    g.flops_executed += double(t.flops);
  };
  auto finished = [&]() {
    if (g.ids.back() == options.eos_id) return g.stop_reason = "eos", true;
    if (!options.stop_strings.empty() && options.decode &&
        find_stop_string(decoded_answer(options, g.ids), options.stop_strings) != std::string::npos)
      return g.stop_reason = "stop-string", true;
    if (int(g.ids.size()) >= options.max_new_tokens) return g.stop_reason = "max-new", true;
    return false;
  };

  if (options.max_new_tokens < 1) return g.stop_reason = "max-new", g;
  auto t0 = Clock::now();
  stepper.prefill(prompt);
  GeneratedToken first;
  first.exit_depth = L;
  first.score = std::numeric_limits<float>::quiet_NaN();
  first.flops = cost.full_model_flops(int64_t(prompt.size()) - 1);
  g.flops_full += double(first.flops);
  first.seconds = g.prefill_seconds = seconds_since(t0);
  choose(first);
  while (!finished()) {
    if (options.cancel && options.cancel->load(std::memory_order_relaxed)) throw Cancelled();
    t0 = Clock::now();
    const int position = stepper.position();
    const StepOutcome step = stepper.step(g.ids.back());
    GeneratedToken t;
    t.exit_depth = step.exit_depth;
    t.score = step.score;
    t.extra_blocks = step.skipped.blocks;
    t.flops = cost.blocks_flops(position, step.exit_depth) + step.head_evaluations * exit_head_flops(model.config()) +
              step.classifier_evaluations * stepper.classifier_flops() + step.skipped.flops;
    g.flops_full += double(cost.full_model_flops(position));
    t.seconds = seconds_since(t0);
    g.decode_seconds += t.seconds;
    choose(t);
  }
  if (options.decode) {
    g.text = decoded_answer(options, g.ids);
    const size_t stop = find_stop_string(g.text, options.stop_strings);
    if (stop != std::string::npos) g.text.resize(stop);
  }
  return g;
}

}  // namespace dynamax
