#include "app/ui/token_heatmap_builder.h"

#include <algorithm>
#include <cmath>

#include "app/ui/tradeoff_controller.h"

namespace dynamax::app {

namespace {

constexpr std::string_view kClassifierPrefix = "classifier:";

// The measure as recorded (entropy in nats), for the hover; a classifier without a score here shows NaN.
float value_of(const RecordedRun& run, size_t cell, const std::string& measure) {
  if (measure == "margin") return run.margin[cell];
  if (measure == "entropy") return run.entropy[cell];
  if (measure == "saturation") return run.saturation[cell];
  if (measure.starts_with(kClassifierPrefix)) {
    const auto scores = run.classifier_scores.find(measure.substr(kClassifierPrefix.size()));
    return scores == run.classifier_scores.end() ? std::nanf("") : scores->second[cell];
  }
  return run.prob[cell];
}

// The measure where higher is more confident (the slider's scale).
float score_of(const RecordedRun& run, size_t cell, const std::string& measure) {
  const float value = value_of(run, cell, measure);
  return measure == "entropy" ? -value : value;
}

QVector<views::RankedToken> top_tokens(const AnalysedRun& run, const SampleTopK& top_k, int position, int depth) {
  QVector<views::RankedToken> out;
  if (top_k.k == 0 || position < 0 || position >= top_k.positions || depth > top_k.depths) return out;
  for (int rank = 0; rank < top_k.k; ++rank) {
    const size_t at = top_k.at(position, depth, rank);
    if (top_k.ids[at] < 0) break;
    out.push_back({QString::fromStdString(run.piece(top_k.ids[at])), std::exp(top_k.logprobs[at])});
  }
  return out;
}

}  // namespace

int sample_count(const AnalysedRun& run) {
  const RecordedRun& r = run.loaded.run;
  int count = 0;
  for (size_t row = 0; row < r.tokens; ++row) count += row == 0 || r.sample_index[row] != r.sample_index[row - 1];
  return count;
}

SampleRows sample_rows(const AnalysedRun& run, int sample) {
  const RecordedRun& r = run.loaded.run;
  sample = std::clamp(sample, 0, std::max(0, sample_count(run) - 1));
  SampleRows range;
  int seen = -1;
  for (size_t row = 0; row < r.tokens; ++row) {
    if (row == 0 || r.sample_index[row] != r.sample_index[row - 1]) {
      if (seen == sample) break;
      ++seen;
      range.begin = row;
      range.sample_index = r.sample_index[row];
    }
    range.end = row + 1;
  }
  return range;
}

views::TokenHeatmapData token_heatmap_data(const AnalysedRun& run, int sample, double tau, const SampleTopK& top_k) {
  const RecordedRun& r = run.loaded.run;
  const SampleRows rows = sample_rows(run, sample);
  const auto [lo, hi] = TradeoffController::threshold_range(QString::fromStdString(run.measure));
  views::TokenHeatmapData d;
  d.title = QString("%1 · sample %2 · colour: %3 · red line: exit depth at the current τ")
                .arg(QString::fromStdString(run.loaded.name))
                .arg(rows.sample_index)
                .arg(QString::fromStdString(run.measure));
  d.measure = QString::fromStdString(run.measure);
  d.depths = r.depths;
  for (size_t row = rows.begin; row < rows.end; ++row) {
    d.inputs.push_back(QString::fromStdString(run.piece(r.token_id[row])));
    d.answer.push_back(row > rows.begin && r.predicts_answer[row - 1]);  // the token the previous position predicts
    for (int depth = 1; depth <= r.depths; ++depth) {
      const size_t c = r.cell(row, depth);
      views::HeatmapCell cell;
      cell.piece = QString::fromStdString(run.piece(r.top1[c]));
      cell.shade = float((score_of(r, c, run.measure) - lo) / (hi - lo));
      cell.value = value_of(r, c, run.measure);
      cell.prob = r.prob[c];
      cell.margin = r.margin[c];
      cell.entropy = r.entropy[c];
      cell.saturation = r.saturation[c];
      cell.agrees = r.top1[c] == r.final_top1[row];
      cell.top_k = top_tokens(run, top_k, r.position[row], depth);
      d.cells.push_back(cell);
    }
  }
  d.exit_depths = exit_depths(run, sample, tau);
  // Text windows score every token: only a QA sample's answer (a part of the sample) is worth marking.
  if (d.answer.count(true) + 1 >= d.tokens()) d.answer.clear();
  return d;
}

QVector<int> exit_depths(const AnalysedRun& run, int sample, double tau) {
  const SampleRows rows = sample_rows(run, sample);
  QVector<int> out;
  for (size_t row = rows.begin; row < rows.end; ++row) out.push_back(run.analysis.sweep->exit_depth(row, tau));
  return out;
}

}  // namespace dynamax::app
