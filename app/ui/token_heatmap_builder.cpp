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

// The rows of every key (sample or shared prefix), in order.
static std::vector<SampleRows> row_ranges(const RecordedRun& r) {
  std::vector<SampleRows> out;
  for (size_t row = 0; row < r.tokens; ++row) {
    if (row == 0 || r.sample_index[row] != r.sample_index[row - 1]) out.push_back({row, row, r.sample_index[row]});
    out.back().end = row + 1;
  }
  return out;
}

static std::vector<SampleRows> sample_ranges(const RecordedRun& r) {
  std::vector<SampleRows> out = row_ranges(r);
  std::erase_if(out, [](const SampleRows& s) { return RecordedRun::is_prefix(s.sample_index); });
  return out;
}

int sample_count(const AnalysedRun& run) { return int(sample_ranges(run.loaded.run).size()); }

SampleRows sample_rows(const AnalysedRun& run, int sample, bool prefix) {
  const RecordedRun& r = run.loaded.run;
  const std::vector<SampleRows> samples = sample_ranges(r);
  if (samples.empty()) return {};
  const SampleRows own = samples[size_t(std::clamp(sample, 0, int(samples.size()) - 1))];
  const auto continued = r.prefix_of.find(own.sample_index);
  if (!prefix || continued == r.prefix_of.end()) return own;
  for (const SampleRows& rows : row_ranges(r))
    if (rows.sample_index == continued->second) return rows;
  return own;
}

bool has_shared_prefix(const AnalysedRun& run, int sample) {
  const SampleRows own = sample_rows(run, sample);
  return own.end > own.begin && run.loaded.run.prefix_of.count(own.sample_index) > 0;
}

views::TokenHeatmapData token_heatmap_data(const AnalysedRun& run, int sample, double tau, const SampleTopK& top_k,
                                           bool prefix) {
  const RecordedRun& r = run.loaded.run;
  const SampleRows rows = sample_rows(run, sample, prefix);
  const auto [lo, hi] = TradeoffController::threshold_range(QString::fromStdString(run.measure));
  views::TokenHeatmapData d;
  const int first_position = rows.end > rows.begin ? r.position[rows.begin] : 0;
  const QString which = RecordedRun::is_prefix(rows.sample_index)
                            ? QString("the shared prefix of sample %1 (positions 0–%2)")
                                  .arg(sample_rows(run, sample).sample_index)
                                  .arg(int(rows.end - rows.begin) - 1)
                        : first_position > 0 ? QString("sample %1 from position %2, after its shared prefix")
                                                   .arg(rows.sample_index)
                                                   .arg(first_position)
                                             : QString("sample %1").arg(rows.sample_index);
  d.title = QString("%1 · %2 · colour: %3 · red line: exit depth at the current τ")
                .arg(QString::fromStdString(run.loaded.name), which, QString::fromStdString(run.measure));
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
  d.exit_depths = exit_depths(run, sample, tau, prefix);
  // Text windows score every token: only a QA sample's answer (a part of the sample) is worth marking.
  if (d.answer.count(true) + 1 >= d.tokens()) d.answer.clear();
  return d;
}

QVector<int> exit_depths(const AnalysedRun& run, int sample, double tau, bool prefix) {
  const SampleRows rows = sample_rows(run, sample, prefix);
  QVector<int> out;
  for (size_t row = rows.begin; row < rows.end; ++row) out.push_back(run.analysis.sweep->exit_depth(row, tau));
  return out;
}

}  // namespace dynamax::app
