#include "app/ui/token_heatmap_builder.h"

#include <algorithm>

#include "app/ui/tradeoff_controller.h"

namespace dynamax::app {

namespace {

struct RowRange {
  size_t begin = 0, end = 0;
  int64_t sample_index = 0;
};

// The rows of the run's `sample`-th sample (rows are ordered by sample index, then position).
RowRange sample_rows(const RecordedRun& run, int sample) {
  RowRange range;
  int seen = -1;
  for (size_t row = 0; row < run.tokens; ++row) {
    if (row == 0 || run.sample_index[row] != run.sample_index[row - 1]) {
      if (seen == sample) break;
      ++seen;
      range.begin = row;
      range.sample_index = run.sample_index[row];
    }
    range.end = row + 1;
  }
  return range;
}

float score_of(const RecordedRun& run, size_t cell, const std::string& measure) {
  if (measure == "margin") return run.margin[cell];
  if (measure == "entropy") return -run.entropy[cell];
  if (measure == "saturation") return run.saturation[cell];
  return run.prob[cell];
}

}  // namespace

int sample_count(const AnalysedRun& run) {
  const RecordedRun& r = run.loaded.run;
  int count = 0;
  for (size_t row = 0; row < r.tokens; ++row) count += row == 0 || r.sample_index[row] != r.sample_index[row - 1];
  return count;
}

views::TokenHeatmapData token_heatmap_data(const AnalysedRun& run, int sample, double tau) {
  const RecordedRun& r = run.loaded.run;
  sample = std::clamp(sample, 0, std::max(0, sample_count(run) - 1));
  const RowRange rows = sample_rows(r, sample);
  const auto [lo, hi] = TradeoffController::threshold_range(QString::fromStdString(run.measure));
  views::TokenHeatmapData d;
  d.title = QString("%1 · sample %2 · colour: %3 · red line: exit depth at the current τ")
                .arg(QString::fromStdString(run.loaded.name))
                .arg(rows.sample_index)
                .arg(QString::fromStdString(run.measure));
  d.depths = r.depths;
  for (size_t row = rows.begin; row < rows.end; ++row) {
    d.inputs.push_back(QString::fromStdString(run.piece(r.token_id[row])));
    for (int depth = 1; depth <= r.depths; ++depth) {
      const size_t c = r.cell(row, depth);
      views::HeatmapCell cell;
      cell.piece = QString::fromStdString(run.piece(r.top1[c]));
      cell.shade = float((score_of(r, c, run.measure) - lo) / (hi - lo));
      cell.prob = r.prob[c];
      cell.margin = r.margin[c];
      cell.entropy = r.entropy[c];
      cell.saturation = r.saturation[c];
      cell.agrees = r.top1[c] == r.final_top1[row];
      d.cells.push_back(cell);
    }
  }
  d.exit_depths = exit_depths(run, sample, tau);
  return d;
}

QVector<int> exit_depths(const AnalysedRun& run, int sample, double tau) {
  const RowRange rows = sample_rows(run.loaded.run, sample);
  QVector<int> out;
  for (size_t row = rows.begin; row < rows.end; ++row) out.push_back(run.analysis.sweep->exit_depth(row, tau));
  return out;
}

}  // namespace dynamax::app
