#include "core/analysis/threshold_sweep.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "core/common/error.h"

namespace dynamax {

namespace {

constexpr float kPlusInfinity = std::numeric_limits<float>::infinity();
// Below this many steps one thread is faster than starting more.
constexpr size_t kStepsPerThread = size_t(1) << 18;
// quantile_thresholds sorts at most about this many scores.
constexpr size_t kQuantileSample = size_t(1) << 20;

}  // namespace

// Per-threshold differences: the value at threshold i is the sum of entries 0..i.
struct ThresholdSweep::Accumulators {
  Accumulators(size_t n, int depths)
      : depth(n), flops(n), agreeing(n), correct(n), disagreeing_samples(n + 1), exits(n * size_t(depths)) {}
  std::vector<int64_t> depth, flops, agreeing, correct, disagreeing_samples, exits;

  void add(const Accumulators& other) {
    auto sum = [](std::vector<int64_t>& a, const std::vector<int64_t>& b) {
      for (size_t i = 0; i < a.size(); ++i) a[i] += b[i];
    };
    sum(depth, other.depth);
    sum(flops, other.flops);
    sum(agreeing, other.agreeing);
    sum(correct, other.correct);
    sum(disagreeing_samples, other.disagreeing_samples);
    sum(exits, other.exits);
  }
};

ThresholdSweep::ThresholdSweep(const ExitOutcomes& outcomes, std::span<const float> scores, const ExitPolicy& policy,
                               const ExitCost& cost, std::string label)
    : depths_(outcomes.depths()),
      sample_starts_(outcomes.sample_starts()),
      full_flops_(outcomes.full_model_flops(cost)),
      header_(outcomes.empty_curve(std::move(label), CurveKind::Threshold)) {
  const size_t T = outcomes.tokens(), L = size_t(depths_);
  if (policy.depths != depths_ || cost.depths() != depths_)
    throw Error("threshold sweep: the run has " + std::to_string(depths_) + " depths, the exit policy " +
                std::to_string(policy.depths) + " and the cost model " + std::to_string(cost.depths()));
  if (scores.size() != T * L)
    throw Error("threshold sweep: " + std::to_string(scores.size()) + " scores for " + std::to_string(T) +
                " tokens × " + std::to_string(L) + " depths");
  const std::span<const int> decisions = policy.decision_depths();
  step_begin_.reserve(T + 1);
  steps_.reserve(T * 3);
  token_block_flops_.resize(T);
  is_answer_.resize(T);
  for (size_t row = 0; row < T; ++row) {
    step_begin_.push_back(steps_.size());
    const float* row_scores = scores.data() + row * L;
    for (int d : decisions) {
      const float s = row_scores[d - 1];
      if (std::isnan(s)) throw Error("threshold sweep: NaN score at row " + std::to_string(row) + ", depth " + std::to_string(d));
      // Only a new running maximum can be the first depth to pass some threshold.
      if (steps_.size() == step_begin_.back() || s > steps_.back().score)
        steps_.push_back({s, uint16_t(d), outcomes.agrees(row, d), outcomes.correct(row, d)});
    }
    // No allowed depth passed: the full model, for every threshold above the last step.
    steps_.push_back({kPlusInfinity, uint16_t(depths_), outcomes.agrees(row, depths_), outcomes.correct(row, depths_)});
    token_block_flops_[row] = cost.block_flops(outcomes.position(row));
    is_answer_[row] = outcomes.is_answer(row);
  }
  step_begin_.push_back(steps_.size());
  overhead_flops_.resize(L + 1);
  for (int d = 1; d <= depths_; ++d) overhead_flops_[size_t(d)] = cost.overhead_flops(d);
}

int ThresholdSweep::exit_depth(size_t row, double threshold) const {
  for (size_t i = step_begin_[row]; i < step_begin_[row + 1]; ++i)
    if (steps_[i].score >= threshold) return steps_[i].depth;
  return depths_;  // only a NaN threshold gets here
}

void ThresholdSweep::accumulate(size_t first_sample, size_t end_sample, std::span<const double> thresholds,
                                Accumulators& acc) const {
  const size_t n = thresholds.size(), L = size_t(depths_);
  const double* th = thresholds.data();
  std::vector<std::pair<size_t, size_t>> disagreeing;  // threshold index ranges where an answer token disagrees
  for (size_t s = first_sample; s < end_sample; ++s) {
    disagreeing.clear();
    for (size_t row = sample_starts_[s]; row < sample_starts_[s + 1]; ++row) {
      const int64_t block = token_block_flops_[row];
      const Step* previous = nullptr;
      size_t lo = 0;  // thresholds below lo exit at earlier steps
      for (size_t i = step_begin_[row]; lo < n; ++i) {
        const Step& step = steps_[i];
        // Thresholds in [lo, hi) are ≤ step.score: the token exits at this step's depth.
        const size_t hi = size_t(std::upper_bound(th + lo, th + n, double(step.score)) - th);
        if (hi == lo) continue;
        const int64_t flops = step.depth * block + overhead_flops_[step.depth];
        acc.depth[lo] += step.depth;
        acc.flops[lo] += flops;
        acc.agreeing[lo] += step.agrees;
        acc.correct[lo] += step.correct;
        ++acc.exits[lo * L + step.depth - 1];
        if (previous) {
          acc.depth[lo] -= previous->depth;
          acc.flops[lo] -= previous->depth * block + overhead_flops_[previous->depth];
          acc.agreeing[lo] -= previous->agrees;
          acc.correct[lo] -= previous->correct;
          --acc.exits[lo * L + previous->depth - 1];
        }
        if (is_answer_[row] && !step.agrees) disagreeing.emplace_back(lo, hi);
        previous = &step;
        lo = hi;
      }
    }
    // A sample disagrees wherever any of its answer tokens does: the union of their ranges.
    std::sort(disagreeing.begin(), disagreeing.end());
    for (size_t i = 0; i < disagreeing.size();) {
      const size_t begin = disagreeing[i].first;
      size_t end = disagreeing[i].second;
      for (++i; i < disagreeing.size() && disagreeing[i].first <= end; ++i) end = std::max(end, disagreeing[i].second);
      ++acc.disagreeing_samples[begin];
      --acc.disagreeing_samples[end];
    }
  }
}

TradeoffCurve ThresholdSweep::curve(std::span<const double> thresholds, int threads) const {
  std::vector<double> sorted(thresholds.begin(), thresholds.end());
  for (double t : sorted)
    if (std::isnan(t)) throw Error("threshold sweep: a threshold is NaN");
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size(), L = size_t(depths_), samples = sample_starts_.size() - 1;

  if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
  threads = int(std::clamp<size_t>(steps_.size() / kStepsPerThread, 1, size_t(threads)));
  threads = int(std::min<size_t>(size_t(threads), samples));
  std::vector<Accumulators> parts(size_t(threads), Accumulators(n, depths_));
  // Split at sample boundaries into chunks of about equal token counts.
  std::vector<size_t> bounds{0};
  for (int k = 1; k < threads; ++k) {
    const size_t row = sample_starts_.back() * size_t(k) / size_t(threads);
    const size_t sample = size_t(std::upper_bound(sample_starts_.begin(), sample_starts_.end() - 1, row) - sample_starts_.begin());
    bounds.push_back(std::max(bounds.back(), sample));
  }
  bounds.push_back(samples);
  std::vector<std::thread> workers;
  for (int k = 1; k < threads; ++k)
    workers.emplace_back([&, k] { accumulate(bounds[size_t(k)], bounds[size_t(k) + 1], sorted, parts[size_t(k)]); });
  accumulate(bounds[0], bounds[1], sorted, parts[0]);
  for (std::thread& w : workers) w.join();
  for (int k = 1; k < threads; ++k) parts[0].add(parts[size_t(k)]);
  const Accumulators& acc = parts[0];

  TradeoffCurve curve = header_;
  curve.points.reserve(n);
  ExitTotals totals;
  totals.exit_counts.assign(L, 0);
  int64_t disagreeing_samples = 0;
  for (size_t i = 0; i < n; ++i) {
    totals.depth_sum += acc.depth[i];
    totals.executed_flops += acc.flops[i];
    totals.agreeing += acc.agreeing[i];
    totals.correct += acc.correct[i];
    for (size_t d = 0; d < L; ++d) totals.exit_counts[d] += acc.exits[i * L + d];
    disagreeing_samples += acc.disagreeing_samples[i];
    totals.agreeing_answer_samples = int64_t(header_.answer_samples) - disagreeing_samples;
    curve.points.push_back(tradeoff_point(header_, totals, full_flops_, sorted[i]));
  }
  return curve;
}

TradeoffPoint ThresholdSweep::at(double threshold) const {
  return curve(std::span<const double>(&threshold, 1), 1).points.front();
}

std::vector<double> quantile_thresholds(std::span<const float> scores, const ExitPolicy& policy, int count) {
  if (count < 0) throw Error("quantile thresholds: the count must not be negative");
  const std::span<const int> decisions = policy.decision_depths();
  const size_t L = size_t(policy.depths), tokens = L ? scores.size() / L : 0;
  const size_t cells = tokens * decisions.size();
  const size_t stride = std::max<size_t>(1, (cells + kQuantileSample - 1) / kQuantileSample);
  std::vector<float> sample;
  sample.reserve(cells / stride + 1);
  for (size_t k = 0; k < cells; k += stride) {
    const float s = scores[(k / decisions.size()) * L + size_t(decisions[k % decisions.size()] - 1)];
    if (!std::isnan(s)) sample.push_back(s);
  }
  std::sort(sample.begin(), sample.end());
  std::vector<double> thresholds{-INFINITY, INFINITY};
  if (!sample.empty())
    for (int i = 0; i < count; ++i) {
      const double q = count == 1 ? 0.5 : double(i) / double(count - 1);
      thresholds.push_back(sample[size_t(std::lround(q * double(sample.size() - 1)))]);
    }
  std::sort(thresholds.begin(), thresholds.end());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
  return thresholds;
}

}  // namespace dynamax
