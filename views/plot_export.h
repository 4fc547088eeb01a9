#pragma once
// Figures for papers: a PlotData rendered offscreen (no window) in a PaperStyle to PDF, SVG or PNG,
// and the curves as CSV.
#include <QString>
#include <stdexcept>

#include "views/paper_style.h"
#include "views/plot_data.h"

namespace dynamax::views {

class ExportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The format follows the extension: .pdf and .svg (vector, sized in cm), .png (style.dpi). The file
// is replaced only once the whole figure is written. Throws ExportError naming the path for an
// unknown extension, a missing folder, an unwritable file, a bad style or a font not installed.
// Needs a QApplication (QCustomPlot is a widget); headless runs set QT_QPA_PLATFORM=offscreen.
void export_plot(const PlotData& data, const PaperStyle& style, const QString& path);

// "curve,x,y" then one row per point, curves in order; labels with commas, quotes or line breaks quoted.
QString curves_to_csv(const PlotData& data);

}  // namespace dynamax::views
