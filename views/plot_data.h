#pragma once
// Plain data for a trade-off figure (accuracy or consistency vs compute): what to draw, not how.
// Filled by app/ from analysis results; views/ and exports only read it.
#include <QString>
#include <QVector>

namespace dynamax::views {

struct PlotCurve {
  QString label;             // legend text; markers refer to a curve by it
  QVector<double> x, y;      // same length; x is compute, y the quality measure
  bool baseline = false;     // static / oracle / random exits: drawn dashed
  bool scatter = false;      // points only, no connecting line
  QString tooltip_unit;      // appended to y in the hover text (e.g. "%"); may be empty
  int color_group = -1;      // curves of one group share a colour (a run and its baselines); -1: own colour
  bool highlight = false;    // a wide translucent band under the curves, marking a region (certified thresholds)
  // A compact legend (paper figures) names each series once and keys the line styles once for all of them.
  QString series;            // e.g. the run, "model · dataset"; empty: the curve has its own entry
  QString style;             // e.g. "threshold", "static", "oracle"; empty: no entry in the style key
};

// An operating point (the current threshold) marked on a curve.
struct OperatingPoint {
  QString curve_label;  // the PlotCurve it belongs to (takes its colour; hidden with it)
  double x = 0, y = 0;
  QString text;         // label beside the marker, e.g. "τ = 0.80"
};

struct PlotData {
  QString title, x_title, y_title;
  QVector<PlotCurve> curves;
  QVector<OperatingPoint> markers;
  bool x_is_fraction = true;  // x in [0, 1], shown as 0–100 %
};

}  // namespace dynamax::views
