// Learn-then-Test calibration of τ over synthetic recorded runs of 1 M and 10 M (token, depth) records: the time of
// one whole calibration (the sweep built, the split, 100 held-out quantile candidates, every scored token's exit at
// every candidate, the p-values), with answers only (1 token in 8 scored, as in QA) and text (every token scored).
// Target: under 1 s at 10 M records, so the window's Calibrate… answers at once (it runs off the GUI thread).
#include <cstdio>

#include "bench/machine_limits.h"
#include "bench/synthetic_recorded_run.h"
#include "core/analysis/threshold_calibration.h"

using namespace dynamax;

namespace {

void measure(const char* name, size_t tokens, int L, bool every_token_scored) {
  RecordedRun run = bench::synthetic_run(tokens, L, 7);
  if (every_token_scored) run.predicts_answer.assign(tokens, 1);
  const ModelConfig config = bench::mistral_like(L);
  CalibrationOptions options;
  options.delta = 0.2;
  ThresholdCalibration c;
  const double seconds = bench::best_seconds([&] { c = calibrate_threshold(run, config, {}, options, name); }, 2);
  // What every analysis of the run pays first (outcomes, scores, the sweep), whatever is done with it.
  const double setup = bench::best_seconds([&] { measure_run(run, config, {}); }, 2);
  std::printf("calibrate %-20s %5.1f M records (%5zu samples of 256 tokens, %s scored): %6.0f ms, of which %5.0f ms "
              "setting up the sweep; %zu candidates, certified τ = %.4f (held-out risk %.3f)\n",
              name, double(tokens) * L / 1e6, tokens / 256, every_token_scored ? "all" : "1 in 8", seconds * 1e3,
              setup * 1e3, c.certificate.candidates.size(), c.threshold(), c.certified().held_out_risk);
}

}  // namespace

int main() {
  bench::print_machine_header();
  std::printf("calibrate: target: one calibration < 1 s at 10 M records\n");
  measure("1M, L=32, answers", 31250, 32, false);
  measure("1M, L=32, text", 31250, 32, true);
  measure("10M, L=32, answers", 312500, 32, false);
  measure("10M, L=32, text", 312500, 32, true);
  return 0;
}
