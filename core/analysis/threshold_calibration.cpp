#include "core/analysis/threshold_calibration.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "core/analysis/confidence_measure.h"
#include "core/analysis/hoeffding_bentkus.h"
#include "core/common/error.h"
#include "core/common/number_text.h"

namespace dynamax {

namespace {

// What a run too small to certify anything is told: how many samples it has, then samples_needed_text.
std::string too_small(const std::string& run_name, size_t samples, size_t calibrating, const CalibrationOptions& o) {
  if (samples == 0)
    return "run " + run_name + " has no samples with a scored position to calibrate on; " + samples_needed_text(o);
  return "run " + run_name + " is too small to certify anything: of its " + std::to_string(samples) +
         " samples with a scored position, " + std::to_string(calibrating) + " calibrate (fraction " +
         number_text(o.calibration_fraction) + "); " + samples_needed_text(o);
}

// The candidates, safe to aggressive: +∞ (the full model) first, then descending.
std::vector<double> candidate_thresholds(const MeasuredRun& m, const std::vector<size_t>& samples,
                                         const SampleSplit& split, const CalibrationOptions& o) {
  std::vector<double> taus = o.thresholds;
  if (taus.empty()) {
    const std::vector<size_t>& starts = m.outcomes.sample_starts();
    const size_t L = size_t(m.outcomes.depths());
    std::vector<float> held_out_scores;
    for (size_t h : split.held_out) {
      const size_t s = samples[h];
      held_out_scores.insert(held_out_scores.end(), m.scores.begin() + std::ptrdiff_t(starts[s] * L),
                             m.scores.begin() + std::ptrdiff_t(starts[s + 1] * L));
    }
    taus = quantile_thresholds(held_out_scores, m.policy, o.threshold_count);
  }
  for (double& t : taus) {
    if (std::isnan(t)) throw Error("calibration: a candidate threshold is NaN");
    // k / scale is the double nearest k·10^−decimals, as a control of that resolution reads it back
    const double scale = std::pow(10.0, o.decimals);
    if (o.decimals >= 0 && std::isfinite(t)) t = std::ceil(t * scale - 1e-9) / scale;
  }
  taus.push_back(INFINITY);
  std::sort(taus.begin(), taus.end(), std::greater<>());
  taus.erase(std::unique(taus.begin(), taus.end()), taus.end());
  return taus;
}

}  // namespace

const char* risk_level_name(RiskLevel level) { return level == RiskLevel::Token ? "token" : "sequence"; }

RiskLevel parse_risk_level(std::string_view text) {
  if (text == "token") return RiskLevel::Token;
  if (text == "sequence") return RiskLevel::Sequence;
  throw Error("unknown risk level '" + std::string(text) + "' (token or sequence)");
}

std::vector<size_t> scored_samples(const ExitOutcomes& outcomes) {
  const std::vector<size_t>& starts = outcomes.sample_starts();
  std::vector<size_t> out;
  for (size_t s = 0; s + 1 < starts.size(); ++s)
    for (size_t row = starts[s]; row < starts[s + 1]; ++row)
      if (outcomes.is_answer(row)) {
        out.push_back(s);
        break;
      }
  return out;
}

SampleLosses exit_losses(const ExitOutcomes& outcomes, const ThresholdSweep& sweep, std::span<const size_t> samples,
                         std::span<const double> thresholds, RiskLevel level) {
  const std::vector<size_t>& starts = outcomes.sample_starts();
  SampleLosses losses;
  losses.thresholds.assign(thresholds.begin(), thresholds.end());
  losses.samples = samples.size();
  losses.loss.reserve(thresholds.size() * samples.size());
  for (double tau : thresholds)
    for (size_t s : samples) {
      if (s + 1 >= starts.size()) throw Error("calibration: sample " + std::to_string(s) + " is not in the run");
      size_t scored = 0, changed = 0;
      for (size_t row = starts[s]; row < starts[s + 1]; ++row) {
        if (!outcomes.is_answer(row)) continue;
        ++scored;
        changed += !outcomes.agrees(row, sweep.exit_depth(row, tau));
      }
      if (scored == 0) throw Error("calibration: sample " + std::to_string(s) + " has no scored position");
      losses.loss.push_back(level == RiskLevel::Token ? double(changed) / double(scored) : changed > 0 ? 1.0 : 0.0);
    }
  return losses;
}

std::string samples_needed_text(const CalibrationOptions& o) {
  const int64_t needed = samples_to_certify(o.delta, o.epsilon);
  return "certifying " + std::string(risk_level_name(o.risk)) + " risk ≤ " + number_text(o.delta) +
         " with probability ≥ " + number_text(1 - o.epsilon) + " needs at least " + std::to_string(needed) +
         " calibration samples (even a zero observed risk gives p = (1 − δ)^n ≤ ε only from n = " +
         std::to_string(needed) + " on), so a run of at least " +
         std::to_string(samples_for_calibration(needed, o.calibration_fraction)) +
         " samples at calibration fraction " + number_text(o.calibration_fraction);
}

size_t samples_for_calibration(int64_t calibration_samples, double fraction) {
  for (size_t n = size_t(std::max<int64_t>(calibration_samples, 1));; ++n) {
    size_t calibrating = size_t(std::llround(fraction * double(n)));
    if (n >= 2) calibrating = std::min(calibrating, n - 1);
    if (int64_t(calibrating) >= calibration_samples && n >= 2) return n;
  }
}

ThresholdCalibration calibrate_threshold(const RecordedRun& run, const ModelConfig& config,
                                         const AnalysisOptions& analysis, const CalibrationOptions& options,
                                         const std::string& run_name) {
  const int64_t needed = samples_to_certify(options.delta, options.epsilon);  // checks δ and ε
  split_samples(0, options.calibration_fraction, options.seed);               // checks the fraction
  if (options.threshold_count < 1) throw Error("calibration: needs at least one candidate threshold");
  if (run.tokens == 0) throw Error(too_small(run_name, 0, 0, options));

  const MeasuredRun m = measure_run(run, config, analysis);
  const std::vector<size_t> samples = scored_samples(m.outcomes);
  const SampleSplit split = split_samples(samples.size(), options.calibration_fraction, options.seed);
  if (int64_t(split.calibration.size()) < needed)
    throw Error(too_small(run_name, samples.size(), split.calibration.size(), options));

  ThresholdCalibration c;
  c.run_name = run_name;
  c.measure = parse_measure(analysis.measure).name();
  c.options = options;
  c.samples = samples.size();
  c.samples_left_out = m.outcomes.sample_starts().size() - 1 - samples.size();
  const std::vector<double> taus = candidate_thresholds(m, samples, split, options);
  c.certificate = certify_risk(exit_losses(m.outcomes, *m.sweep, samples, taus, options.risk), split, options.delta,
                               options.epsilon);
  // +∞ runs the full model: zero loss, p = (1 − δ)^n ≤ ε with enough calibration samples, checked above.
  if (!c.certificate.certified) throw Error("calibration: the full model (τ = +∞) was not certified");
  c.point = m.sweep->at(c.threshold());
  return c;
}

}  // namespace dynamax
