#include "core/analysis/confidence_measure.h"

#include <cmath>
#include <limits>

#include "core/common/error.h"

namespace dynamax {

namespace {

constexpr std::string_view kClassifierPrefix = "classifier:";
constexpr const char* kValidNames = "max-prob, margin, entropy, saturation, classifier:NAME";

std::vector<float> copied_column(const std::vector<float>& column, float sign, size_t cells, const char* name) {
  if (column.size() != cells)
    throw Error(std::string("the run's '") + name + "' column has " + std::to_string(column.size()) +
                " values, expected " + std::to_string(cells) + " (tokens × depths)");
  std::vector<float> scores(cells);
  for (size_t i = 0; i < cells; ++i)
    scores[i] = std::isnan(column[i]) ? -std::numeric_limits<float>::infinity() : sign * column[i];
  return scores;
}

}  // namespace

std::string ConfidenceMeasure::name() const {
  switch (kind) {
    case MeasureKind::MaxProb: return "max-prob";
    case MeasureKind::Margin: return "margin";
    case MeasureKind::Entropy: return "entropy";
    case MeasureKind::Saturation: return "saturation";
    case MeasureKind::Classifier: return std::string(kClassifierPrefix) + classifier;
  }
  return "?";
}

ConfidenceMeasure parse_measure(std::string_view text) {
  if (text == "max-prob") return {MeasureKind::MaxProb, {}};
  if (text == "margin") return {MeasureKind::Margin, {}};
  if (text == "entropy") return {MeasureKind::Entropy, {}};
  if (text == "saturation") return {MeasureKind::Saturation, {}};
  if (text.starts_with(kClassifierPrefix)) {
    const std::string_view name = text.substr(kClassifierPrefix.size());
    if (name.empty()) throw Error("confidence measure 'classifier:' needs a classifier name, as in classifier:NAME");
    return {MeasureKind::Classifier, std::string(name)};
  }
  throw Error("unknown confidence measure '" + std::string(text) + "'; valid measures: " + kValidNames);
}

std::vector<float> confidence_scores(const RecordedRun& run, const ConfidenceMeasure& measure) {
  const size_t cells = run.tokens * size_t(run.depths);
  switch (measure.kind) {
    case MeasureKind::MaxProb: return copied_column(run.prob, 1.0f, cells, "prob");
    case MeasureKind::Margin: return copied_column(run.margin, 1.0f, cells, "margin");
    case MeasureKind::Entropy: return copied_column(run.entropy, -1.0f, cells, "entropy");
    case MeasureKind::Saturation: return copied_column(run.saturation, 1.0f, cells, "saturation");
    case MeasureKind::Classifier: {
      // Depths without the classifier hold NaN, hence −∞: a token never exits there on its score.
      const auto column = run.classifier_scores.find(measure.classifier);
      if (column == run.classifier_scores.end()) {
        std::string known;
        for (const auto& [name, scores] : run.classifier_scores) known += (known.empty() ? "" : ", ") + name;
        throw Error("no classifier scores named '" + measure.classifier + "' in this run" +
                    (known.empty() ? std::string() : " (it has " + known + ")"));
      }
      return copied_column(column->second, 1.0f, cells, "classifier");
    }
  }
  throw Error("unknown confidence measure kind");
}

}  // namespace dynamax
