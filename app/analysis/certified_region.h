#pragma once
// A run's Learn-then-Test calibration as the trade-off views show it: the certified thresholds as a band on the
// run's curve, and what the table and the status line say about it.
#include <QString>
#include <cstdint>
#include <string>

#include "app/analysis/tradeoff_figure.h"
#include "core/analysis/threshold_calibration.h"
#include "views/plot_data.h"

namespace dynamax::app {

// A calibration and the recording it was made on (a run that grew since needs a new one).
struct CertifiedRun {
  int64_t run_id = 0;
  int64_t samples_done = 0;
  ThresholdCalibration calibration;
};

// The whole run's point at each certified candidate τ, from the full model down to the certified τ, on `axes`,
// drawn as a highlight band in the run's colour group.
views::PlotCurve certified_region(const RunAnalysis& run, const ThresholdCalibration& calibration, FigureAxes axes,
                                  int color_group);

// "tiny-mistral #1 certified: token risk ≤ 0.1, ε = 0.1": the band's legend entry.
QString certified_label(const RunAnalysis& run, const ThresholdCalibration& calibration);

// One line for the status bar: the certified τ, what it saves and the held-out risk.
QString calibration_summary(const ThresholdCalibration& calibration);

}  // namespace dynamax::app
