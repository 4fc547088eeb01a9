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

// The first index in [lo, n) whose threshold is above `value` (n when none): std::upper_bound without branches
// to mispredict, which dominate a curve's time otherwise.
size_t first_threshold_above(const double* thresholds, size_t lo, size_t n, double value) {
  const double* base = thresholds + lo;
  for (size_t len = n - lo; len > 1;) {
    const size_t half = len / 2;
    base = base[half - 1] <= value ? base + half : base;
    len -= half;
  }
  return size_t(base - thresholds) + (*base <= value);
}

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
      cost_(cost),
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
  step_scores_.reserve(T * 4);
  step_exits_.reserve(T * 4);
  token_positions_.resize(T);
  is_answer_.resize(T);
  auto add_step = [&](float score, size_t row, int depth) {
    step_scores_.push_back(score);
    step_exits_.push_back({uint16_t(depth), outcomes.agrees(row, depth), outcomes.correct(row, depth)});
  };
  for (size_t row = 0; row < T; ++row) {
    step_begin_.push_back(step_scores_.size());
    const float* row_scores = scores.data() + row * L;
    for (int d : decisions) {
      const float s = row_scores[d - 1];
      if (std::isnan(s)) throw Error("threshold sweep: NaN score at row " + std::to_string(row) + ", depth " + std::to_string(d));
      // Only a new running maximum can be the first depth to pass some threshold.
      if (step_scores_.size() == step_begin_.back() || s > step_scores_.back()) add_step(s, row, d);
    }
    // No allowed depth passed: the full model, for every threshold above the last step.
    add_step(kPlusInfinity, row, depths_);
    token_positions_[row] = outcomes.position(row);
    is_answer_[row] = outcomes.is_answer(row);
  }
  step_begin_.push_back(step_scores_.size());
  answer_sample_.assign(sample_starts_.size() - 1, 0);
  for (size_t s = 0; s + 1 < sample_starts_.size(); ++s)
    for (size_t row = sample_starts_[s]; row < sample_starts_[s + 1]; ++row) answer_sample_[s] |= is_answer_[row];
  overhead_flops_.resize(L + 1);
  for (int d = 1; d <= depths_; ++d) overhead_flops_[size_t(d)] = cost.overhead_flops(d);
  header_.last_block = cost.last_block();
}

size_t ThresholdSweep::passing_step(size_t row, double threshold) const {
  size_t i = step_begin_[row];
  while (step_scores_[i] < threshold) ++i;  // ends at the last step (+∞) at the latest
  return i;
}

int ThresholdSweep::exit_depth(size_t row, double threshold) const {
  if (std::isnan(threshold)) throw Error("threshold sweep: the threshold is NaN");
  return step_exits_[passing_step(row, threshold)].depth;
}

void ThresholdSweep::accumulate(size_t first_sample, size_t end_sample, std::span<const double> thresholds,
                                Accumulators& acc) const {
  const size_t n = thresholds.size(), L = size_t(depths_);
  const double* th = thresholds.data();
  std::vector<std::pair<size_t, size_t>> disagreeing;  // threshold index ranges where an answer token disagrees
  for (size_t s = first_sample; s < end_sample; ++s) {
    disagreeing.clear();
    for (size_t row = sample_starts_[s]; row < sample_starts_[s + 1]; ++row) {
      const int64_t position = token_positions_[row];
      const StepExit* previous = nullptr;
      size_t lo = 0;  // thresholds below lo exit at earlier steps
      for (size_t i = step_begin_[row]; lo < n; ++i) {
        // Thresholds in [lo, hi) are ≤ this step's score: the token exits at its depth.
        const size_t hi = first_threshold_above(th, lo, n, double(step_scores_[i]));
        if (hi == lo) continue;
        const StepExit& step = step_exits_[i];
        const int64_t flops = cost_.executed_block_flops(position, step.depth) + overhead_flops_[step.depth];
        acc.depth[lo] += step.depth;
        acc.flops[lo] += flops;
        acc.agreeing[lo] += step.agrees;
        acc.correct[lo] += step.correct;
        ++acc.exits[lo * L + step.depth - 1];
        if (previous) {
          acc.depth[lo] -= previous->depth;
          acc.flops[lo] -= cost_.executed_block_flops(position, previous->depth) + overhead_flops_[previous->depth];
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
  threads = int(std::clamp<size_t>(step_count() / kStepsPerThread, 1, size_t(threads)));
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

// One threshold needs no difference arrays: a plain walk to each token's passing step, about twice as fast.
TradeoffPoint ThresholdSweep::at(double threshold) const {
  if (std::isnan(threshold)) throw Error("threshold sweep: the threshold is NaN");
  ExitTotals totals;
  totals.exit_counts.assign(size_t(depths_), 0);
  for (size_t s = 0; s + 1 < sample_starts_.size(); ++s) {
    bool answers_agree = true;
    for (size_t row = sample_starts_[s]; row < sample_starts_[s + 1]; ++row) {
      const StepExit& exit = step_exits_[passing_step(row, threshold)];
      totals.depth_sum += exit.depth;
      totals.executed_flops += cost_.executed_block_flops(token_positions_[row], exit.depth) + overhead_flops_[exit.depth];
      totals.agreeing += exit.agrees;
      totals.correct += exit.correct;
      ++totals.exit_counts[exit.depth - 1];
      if (is_answer_[row]) answers_agree &= exit.agrees != 0;
    }
    totals.agreeing_answer_samples += answer_sample_[s] && answers_agree;
  }
  return tradeoff_point(header_, totals, full_flops_, threshold);
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
