#pragma once
// A recorded run's exit threshold τ calibrated with Learn then Test (core/analysis/risk_certification.h), as CALM
// does (Schuster et al., 2022): the run's samples are split into a calibration and a held-out part, every candidate
// τ from the full model (+∞) down to the most aggressive gets each sample's loss against the full model, and the
// most aggressive τ certified at (δ, ε) is returned with the compute it saves.
//
// What a loss is, per sample, over the positions the sample is scored on (what answer agreement counts: the
// answer's tokens, or every token with a next token in a text window):
//   token risk:    the share of those positions whose exit top-1 differs from the full model's top-1
//                  (1 − the sample's token consistency);
//   sequence risk: 1 when any of them differs, else 0 (the sample's answer is not the full model's).
// Tokens of one sample are not independent, so the unit is the sample: the guarantee is on the expected per-sample
// loss over new samples exchangeable with these. Token risk is thus a mean over samples of each one's share of
// changed tokens, not a share over all tokens pooled (the two differ when samples differ in length). Samples with
// no scored position have no loss and are left out.
//
// Candidates are fixed before the calibration part is looked at: quantiles of the held-out part's scores (or the
// values given), always with +∞ first.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/exit_outcomes.h"
#include "core/analysis/recorded_run.h"
#include "core/analysis/risk_certification.h"
#include "core/analysis/run_analysis.h"
#include "core/analysis/threshold_sweep.h"
#include "core/io/model_config.h"

namespace dynamax {

enum class RiskLevel { Token, Sequence };
const char* risk_level_name(RiskLevel level);     // "token", "sequence"
RiskLevel parse_risk_level(std::string_view text);  // throws dynamax::Error naming the valid values

// The samples (indices into outcomes.sample_starts()) that have at least one scored position.
std::vector<size_t> scored_samples(const ExitOutcomes& outcomes);

// Each of `samples`' loss (in that order) under each threshold (in that order), as defined above.
SampleLosses exit_losses(const ExitOutcomes& outcomes, const ThresholdSweep& sweep, std::span<const size_t> samples,
                         std::span<const double> thresholds, RiskLevel level);

struct CalibrationOptions {
  RiskLevel risk = RiskLevel::Token;
  double delta = 0.1, epsilon = 0.1;
  double calibration_fraction = 0.5;
  uint64_t seed = 1;
  int threshold_count = 100;       // held-out quantiles when `thresholds` is empty
  std::vector<double> thresholds;  // explicit candidates (+∞ is added)
  int decimals = -1;               // ≥ 0: finite candidates rounded up to this many decimals, so that a control of
                                   // that resolution can show the certified τ exactly; −1: as they are
};

struct ThresholdCalibration {
  std::string run_name, measure;
  CalibrationOptions options;
  size_t samples = 0;           // samples with a scored position, split into the two parts
  size_t samples_left_out = 0;  // samples without one
  RiskCertificate certificate;  // candidates from +∞ down; certificate.certified is always set
  TradeoffPoint point;          // the whole run at the certified τ: the compute it saves, its consistency

  double threshold() const { return certificate.candidates[*certificate.certified].threshold; }
  const CandidateTest& certified() const { return certificate.candidates[*certificate.certified]; }
};

// The fewest samples a run needs so that round(fraction · N) of them (at most N − 1) calibrate with at least
// `calibration_samples`.
size_t samples_for_calibration(int64_t calibration_samples, double fraction);

// "certifying token risk ≤ 0.1 with probability ≥ 0.9 needs at least 22 calibration samples (…), so a run of at
// least 43 samples at calibration fraction 0.5": what a run too small to calibrate is told.
std::string samples_needed_text(const CalibrationOptions& options);

// Throws dynamax::Error for bad options, an unknown measure or bad depths, and — saying how many samples would be
// needed — for a run whose calibration part is too small to certify even the full model.
ThresholdCalibration calibrate_threshold(const RecordedRun& run, const ModelConfig& config,
                                         const AnalysisOptions& analysis, const CalibrationOptions& options,
                                         const std::string& run_name);

}  // namespace dynamax
