#pragma once
// File → Export: the trade-off figure (PDF, SVG or PNG in a paper style), its curves as CSV, and the operating
// points at the current threshold as a LaTeX table. Each returns an error message, empty on success.
#include <QString>
#include <vector>

#include "core/analysis/operating_points.h"
#include "core/analysis/run_analysis.h"
#include "views/paper_style.h"
#include "views/plot_data.h"

class QWidget;

namespace dynamax::app {

QString export_figure(const views::PlotData& data, const views::PaperStyle& style, const QString& path);
// What `dynamax sweep --csv` writes for the same runs and measure.
QString export_curves_csv(const std::vector<const RunAnalysis*>& runs, const QString& path);
QString export_latex_table(const std::vector<OperatingPoint>& rows, const QString& path);

// File → Export figure…: the dialog, filled with its last values (remembered once the figure is written). Returns
// the path written; empty when cancelled.
QString export_figure_with_dialog(const views::PlotData& data, QWidget* parent);

}  // namespace dynamax::app
