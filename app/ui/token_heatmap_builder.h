#pragma once
// The token inspector's data for one sample of an analysed run: pieces decoded with the run's tokenizer, cells
// shaded by the measure on the slider's scale, each exit's recorded top-k, and each token's exit depth at τ from
// the run's sweep.
#include <QVector>

#include "app/ui/analysed_run.h"
#include "storage/exit_topk_reader.h"
#include "views/token_heatmap_data.h"

namespace dynamax::app {

// The rows [begin, end) of one sample (or of the shared prefix it continues) in the run's columns, and their key:
// the stored sample index, or the prefix's negative key.
struct SampleRows {
  size_t begin = 0, end = 0;
  int64_t sample_index = 0;
};

// Samples held by the run (distinct sample indices, in order; shared prefixes are not samples).
int sample_count(const AnalysedRun& run);

// `sample` counts the run's samples from 0; clamped to the ones recorded. A sample that continues a shared prefix
// starts where it leaves the prefix; `prefix` asks for the prefix's rows instead (the sample's own when it has none).
SampleRows sample_rows(const AnalysedRun& run, int sample, bool prefix = false);
// The sample continues a shared prefix.
bool has_shared_prefix(const AnalysedRun& run, int sample);

// `top_k` of those rows (k = 0 when it was not recorded: cells then carry no top-k).
views::TokenHeatmapData token_heatmap_data(const AnalysedRun& run, int sample, double tau, const SampleTopK& top_k,
                                           bool prefix = false);

// Only the exit depths (what moves with the slider).
QVector<int> exit_depths(const AnalysedRun& run, int sample, double tau, bool prefix = false);

}  // namespace dynamax::app
