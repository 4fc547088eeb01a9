#pragma once
// The confidence measures an exit policy can threshold, by their CLI names, as one score per (token, depth) where
// higher always means more confident.
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/recorded_run.h"

namespace dynamax {

enum class MeasureKind { MaxProb, Margin, Entropy, Saturation, Classifier };

struct ConfidenceMeasure {
  MeasureKind kind = MeasureKind::MaxProb;
  std::string classifier;  // NAME in `classifier:NAME`; empty for the other kinds

  std::string name() const;  // as written on the CLI: "max-prob", "classifier:NAME", ...
};

// Parses `max-prob`, `margin`, `entropy`, `saturation` or `classifier:NAME`; the error lists the valid names.
ConfidenceMeasure parse_measure(std::string_view text);

// The score column of `measure`, [tokens × depths] in the run's cell order. Entropy is negated so that higher
// means more confident; NaN becomes −∞ (never passes a finite threshold, and τ = −∞ still exits at once).
std::vector<float> confidence_scores(const RecordedRun& run, const ConfidenceMeasure& measure);

}  // namespace dynamax
