#pragma once
// Learn then Test on per-sample losses (Angelopoulos et al., 2021): which candidate thresholds keep the expected
// loss on new samples at or below δ, with probability at least 1 − ε over the draw of the calibration samples.
//
// Each candidate's null hypothesis is "its risk exceeds δ"; its Hoeffding–Bentkus p-value comes from the mean
// loss over the calibration samples; fixed-sequence testing runs through the candidates in their given order
// (safe to aggressive) and certifies those before the first p-value above ε. The guarantee needs losses in [0, 1]
// and samples exchangeable with the ones the threshold will meet (whole samples: never tokens of one sample on
// both sides), and candidates fixed without looking at the calibration samples. The held-out samples do not
// enter the guarantee: their mean loss is a check of it.
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace dynamax {

// Candidate thresholds and every sample's loss under each of them.
struct SampleLosses {
  std::vector<double> thresholds;  // candidates, safe to aggressive: the order fixed-sequence testing follows
  size_t samples = 0;
  std::vector<double> loss;        // [thresholds × samples], each in [0, 1]

  double at(size_t candidate, size_t sample) const { return loss[candidate * samples + sample]; }
};

// Sample indices (into 0..samples − 1) on each side of a split.
struct SampleSplit {
  std::vector<size_t> calibration, held_out;
};

// Whole samples shuffled by std::mt19937_64(seed) with a plain Fisher–Yates shuffle (reproducible everywhere):
// the first round(fraction · samples) calibrate, the rest are held out; at least one is held out when there are
// two or more. Each side is listed in ascending order. Throws dynamax::Error for a fraction outside (0, 1).
SampleSplit split_samples(size_t samples, double calibration_fraction, uint64_t seed);

enum class CandidateStatus {
  Certified,  // rejected "risk > δ" in the sequence
  Stopped,    // the first p-value above ε: testing stopped here
  Untested,   // after the stop (its p-value is shown, but it certifies nothing)
};
const char* candidate_status_name(CandidateStatus status);  // "certified", "stopped", "untested"

struct CandidateTest {
  double threshold = 0;
  double calibration_risk = 0;  // mean loss over the calibration samples
  double p_value = 1;           // Hoeffding–Bentkus p-value of "risk > δ"
  double held_out_risk = NAN;   // mean loss over the held-out samples; NaN when none are held out
  CandidateStatus status = CandidateStatus::Untested;
};

struct RiskCertificate {
  double delta = 0, epsilon = 0;
  size_t calibration_samples = 0, held_out_samples = 0;
  int64_t samples_needed = 0;             // calibration samples any certification needs: samples_to_certify(δ, ε)
  std::vector<CandidateTest> candidates;  // in the losses' order
  std::optional<size_t> certified;        // the last certified candidate (the most aggressive); none when the
                                          // first candidate already stops the sequence
};

// Throws dynamax::Error for δ or ε outside (0, 1), a loss outside [0, 1] or a sample index out of range.
RiskCertificate certify_risk(const SampleLosses& losses, const SampleSplit& split, double delta, double epsilon);

}  // namespace dynamax
