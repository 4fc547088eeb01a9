#pragma once
// File → Export: the trade-off figure (PDF, SVG or PNG in a paper preset), its curves as CSV, and the operating
// points at the current threshold as a LaTeX table. Each returns an error message, empty on success.
#include <QString>
#include <vector>

#include "core/analysis/operating_points.h"
#include "views/paper_style.h"
#include "views/plot_data.h"

namespace dynamax::app {

enum class PaperPreset { SingleColumn, DoubleColumn, Screen };
views::PaperStyle paper_style(PaperPreset preset);

QString export_figure(const views::PlotData& data, PaperPreset preset, const QString& path);
QString export_curves_csv(const views::PlotData& data, const QString& path);
QString export_latex_table(const std::vector<OperatingPoint>& rows, const QString& path);

}  // namespace dynamax::app
