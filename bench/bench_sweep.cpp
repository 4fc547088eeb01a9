// Threshold sweeps over synthetic recorded runs of 1 M and 10 M (token, depth) records: the time of one threshold
// (a slider step), of a 1,000-threshold curve, and how both scale with records, thresholds and depths.
// Targets: one threshold < 5 ms at 1 M records; a 1,000-point curve < 1 s at 10 M records.
#include <algorithm>
#include <cstdio>
#include <random>

#include "bench/machine_limits.h"
#include "bench/synthetic_recorded_run.h"
#include "core/analysis/exit_outcomes.h"
#include "core/analysis/threshold_sweep.h"

using namespace dynamax;
using bench::mistral_like;
using bench::synthetic_run;

namespace {

std::vector<double> spread(size_t n) {
  std::vector<double> t(n);
  for (size_t i = 0; i < n; ++i) t[i] = n == 1 ? 0.5 : double(i) / double(n - 1);
  return t;
}

// Best of `repeats` wall-clock seconds of f().
template <class F>
double best_seconds(int repeats, F&& f) {
  double best = 1e30;
  for (int i = 0; i < repeats; ++i) {
    const double t0 = bench::now_seconds();
    f();
    best = std::min(best, bench::now_seconds() - t0);
  }
  return best;
}

void measure(const char* name, size_t tokens, int L, std::vector<int> allowed = {}) {
  const RecordedRun run = synthetic_run(tokens, L, 7);
  const ExitPolicy policy = make_exit_policy(L, allowed);
  const double t0 = bench::now_seconds();
  const ExitOutcomes outcomes(run);
  const ExitCost cost(mistral_like(L), policy);
  const ThresholdSweep sweep(outcomes, run.prob, policy, cost, "max-prob");
  const double build = bench::now_seconds() - t0;
  const double records = double(tokens) * L;

  std::mt19937 rng(3);
  std::uniform_real_distribution<double> tau(0.0, 1.0);
  double worst = 0, total = 0;
  const int slider_steps = 200;
  for (int i = 0; i < slider_steps; ++i) {
    const double t = tau(rng), s0 = bench::now_seconds();
    sweep.at(t);
    const double s = bench::now_seconds() - s0;
    worst = std::max(worst, s);
    total += s;
  }
  const std::vector<double> thousand = spread(1000);
  const double curve = best_seconds(3, [&] { sweep.curve(thousand); });
  const double curve_one_thread = best_seconds(3, [&] { sweep.curve(thousand, 1); });
  std::printf("sweep %-22s %5.1f M records (%7zu tokens x %2d depths, %2zu allowed): %.2f steps/token; build %4.0f ms; "
              "one threshold %.2f ms mean, %.2f ms worst; 1,000-point curve %5.0f ms (1 thread %5.0f ms)\n",
              name, records / 1e6, tokens, L, policy.allowed.size(), double(sweep.step_count()) / double(tokens),
              build * 1e3, total / slider_steps * 1e3, worst * 1e3, curve * 1e3, curve_one_thread * 1e3);
}

void threshold_scaling(size_t tokens, int L) {
  const RecordedRun run = synthetic_run(tokens, L, 7);
  const ExitPolicy policy = make_exit_policy(L);
  const ExitOutcomes outcomes(run);
  const ThresholdSweep sweep(outcomes, run.prob, policy, ExitCost(mistral_like(L), policy), "max-prob");
  for (size_t n : {size_t(1), size_t(10), size_t(100), size_t(1000), size_t(10000)}) {
    const std::vector<double> t = spread(n);
    const double s = best_seconds(3, [&] { sweep.curve(t); });
    std::printf("sweep curve: %5zu thresholds over %.0f M records: %7.1f ms (%.3f ms per threshold)\n", n,
                double(tokens) * L / 1e6, s * 1e3, s * 1e3 / double(n));
  }
  const double q0 = bench::now_seconds();
  const size_t chosen = quantile_thresholds(run.prob, policy, 1000).size();
  std::printf("sweep curve: choosing %zu thresholds (1,000 quantiles and ±inf): %.0f ms\n", chosen,
              (bench::now_seconds() - q0) * 1e3);
}

}  // namespace

int main() {
  bench::print_machine_header();
  std::printf("sweep: targets: one threshold < 5 ms at 1 M records; 1,000-point curve < 1 s at 10 M records\n");
  measure("1M, L=32", 31250, 32);
  measure("10M, L=32", 312500, 32);
  measure("10M, L=32, 4 exits", 312500, 32, {8, 10, 12, 14});
  measure("10M, L=16", 625000, 16);
  measure("10M, L=64", 156250, 64);
  threshold_scaling(312500, 32);
  return 0;
}
