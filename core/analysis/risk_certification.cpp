#include "core/analysis/risk_certification.h"

#include <algorithm>
#include <random>
#include <string>

#include "core/analysis/fixed_sequence_test.h"
#include "core/analysis/hoeffding_bentkus.h"
#include "core/common/error.h"
#include "core/common/number_text.h"

namespace dynamax {

namespace {

double mean_loss(const SampleLosses& losses, size_t candidate, std::span<const size_t> samples) {
  if (samples.empty()) return NAN;
  double sum = 0;
  for (size_t s : samples) sum += losses.at(candidate, s);
  return sum / double(samples.size());
}

}  // namespace

const char* candidate_status_name(CandidateStatus status) {
  switch (status) {
    case CandidateStatus::Certified: return "certified";
    case CandidateStatus::Stopped: return "stopped";
    case CandidateStatus::Untested: return "untested";
  }
  return "?";
}

SampleSplit split_samples(size_t samples, double calibration_fraction, uint64_t seed) {
  if (!(calibration_fraction > 0 && calibration_fraction < 1))
    throw Error("calibration: the calibration fraction must lie strictly between 0 and 1, got " +
                number_text(calibration_fraction));
  std::vector<size_t> order(samples);
  for (size_t i = 0; i < samples; ++i) order[i] = i;
  std::mt19937_64 rng(seed);
  for (size_t i = samples; i > 1; --i) std::swap(order[i - 1], order[size_t(rng() % i)]);
  size_t calibrating = size_t(std::llround(calibration_fraction * double(samples)));
  if (samples >= 2) calibrating = std::min(calibrating, samples - 1);
  SampleSplit split;
  split.calibration.assign(order.begin(), order.begin() + std::ptrdiff_t(calibrating));
  split.held_out.assign(order.begin() + std::ptrdiff_t(calibrating), order.end());
  std::sort(split.calibration.begin(), split.calibration.end());
  std::sort(split.held_out.begin(), split.held_out.end());
  return split;
}

RiskCertificate certify_risk(const SampleLosses& losses, const SampleSplit& split, double delta, double epsilon) {
  RiskCertificate c;
  c.delta = delta;
  c.epsilon = epsilon;
  c.samples_needed = samples_to_certify(delta, epsilon);  // also checks δ and ε
  if (losses.loss.size() != losses.thresholds.size() * losses.samples)
    throw Error("calibration: " + std::to_string(losses.loss.size()) + " losses for " +
                std::to_string(losses.thresholds.size()) + " thresholds × " + std::to_string(losses.samples) +
                " samples");
  for (double l : losses.loss)
    if (!(l >= 0 && l <= 1)) throw Error("calibration: a loss of " + number_text(l) + " lies outside [0, 1]");
  for (const std::vector<size_t>* side : {&split.calibration, &split.held_out})
    for (size_t s : *side)
      if (s >= losses.samples)
        throw Error("calibration: sample " + std::to_string(s) + " of the split is beyond the " +
                    std::to_string(losses.samples) + " samples");
  c.calibration_samples = split.calibration.size();
  c.held_out_samples = split.held_out.size();

  std::vector<double> p_values;
  for (size_t k = 0; k < losses.thresholds.size(); ++k) {
    CandidateTest t;
    t.threshold = losses.thresholds[k];
    t.calibration_risk = mean_loss(losses, k, split.calibration);
    // Clamped: a mean of values in [0, 1] may round a hair past 1.
    t.p_value = split.calibration.empty()
                    ? 1.0
                    : hoeffding_bentkus_p_value(std::min(1.0, t.calibration_risk), int64_t(c.calibration_samples), delta);
    t.held_out_risk = mean_loss(losses, k, split.held_out);
    p_values.push_back(t.p_value);
    c.candidates.push_back(t);
  }
  const size_t rejected = fixed_sequence_rejections(p_values, epsilon);
  for (size_t k = 0; k < c.candidates.size(); ++k)
    c.candidates[k].status = k < rejected ? CandidateStatus::Certified
                             : k == rejected ? CandidateStatus::Stopped
                                             : CandidateStatus::Untested;
  if (rejected > 0) c.certified = rejected - 1;
  return c;
}

}  // namespace dynamax
