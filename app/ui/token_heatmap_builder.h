#pragma once
// The token inspector's data for one sample of an analysed run: pieces decoded with the run's tokenizer, cells
// shaded by the measure on the slider's scale, each exit's recorded top-k, and each token's exit depth at τ from
// the run's sweep.
#include <QVector>

#include "app/ui/analysed_run.h"
#include "storage/exit_topk_reader.h"
#include "views/token_heatmap_data.h"

namespace dynamax::app {

// The rows [begin, end) of one sample in the run's columns, and its stored sample index.
struct SampleRows {
  size_t begin = 0, end = 0;
  int64_t sample_index = 0;
};

// Samples held by the run (distinct sample indices, in order).
int sample_count(const AnalysedRun& run);

// `sample` counts the run's samples from 0; clamped to the ones recorded.
SampleRows sample_rows(const AnalysedRun& run, int sample);

// `top_k` of that sample (k = 0 when it was not recorded: cells then carry no top-k).
views::TokenHeatmapData token_heatmap_data(const AnalysedRun& run, int sample, double tau, const SampleTopK& top_k);

// Only the exit depths (what moves with the slider).
QVector<int> exit_depths(const AnalysedRun& run, int sample, double tau);

}  // namespace dynamax::app
