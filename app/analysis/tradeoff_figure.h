#pragma once
// Turns run analyses into the plain data a trade-off plot draws: one threshold curve per run, its static and
// oracle baselines dashed, and operating-point markers.
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/run_analysis.h"
#include "views/plot_data.h"

namespace dynamax::app {

struct FigureAxes {
  ComputeAxis compute = ComputeAxis::Blocks;
  QualityAxis quality = QualityAxis::Consistency;
};

QString compute_axis_title(ComputeAxis axis);
QString quality_axis_title(QualityAxis axis);

views::PlotData tradeoff_plot_data(const std::vector<const RunAnalysis*>& runs, FigureAxes axes, bool baselines = true);

// The marker of each run's threshold curve at τ (exact, from the sweep).
QVector<views::OperatingPoint> markers_at(const std::vector<const RunAnalysis*>& runs, FigureAxes axes, double tau);

// The τ of the cheapest threshold point reaching `quality`, per run (nullopt where none does).
std::optional<double> cheapest_tau(const RunAnalysis& run, FigureAxes axes, double quality);

// Every curve of the runs (threshold, static, oracle, random) as `sweep --csv` writes them.
std::string sweep_csv(const std::vector<const RunAnalysis*>& runs);

// The legend label of a run's threshold curve.
QString threshold_label(const RunAnalysis& run);

}  // namespace dynamax::app
