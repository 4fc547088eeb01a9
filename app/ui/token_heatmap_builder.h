#pragma once
// The token inspector's data for one sample of an analysed run: pieces decoded with the run's tokenizer, cells
// shaded by the measure on the slider's scale, and each token's exit depth at τ from the run's sweep.
#include <QVector>

#include "app/ui/analysed_run.h"
#include "views/token_heatmap_data.h"

namespace dynamax::app {

// Samples held by the run (distinct sample indices, in order).
int sample_count(const AnalysedRun& run);

// `sample` counts the run's samples from 0; clamped to the ones recorded.
views::TokenHeatmapData token_heatmap_data(const AnalysedRun& run, int sample, double tau);

// Only the exit depths (what moves with the slider).
QVector<int> exit_depths(const AnalysedRun& run, int sample, double tau);

}  // namespace dynamax::app
