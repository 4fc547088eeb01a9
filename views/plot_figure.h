#pragma once
// Draws a PlotData on a QCustomPlot — curves, axes, legend, operating-point markers — in a given
// look. The interactive TradeoffPlot and the offscreen exports share it, so both draw alike.
#include <QFont>
#include <QHash>
#include <QPointF>
#include <optional>

#include "views/plot_data.h"
#include "views/plot_theme.h"

class QCustomPlot;
class QCPGraph;
class QCPLayer;
class QCPItemText;
class QCPItemTracer;
class QCPLayoutGrid;
class QCPLegend;
class QCPTextElement;

namespace dynamax::views {

struct FigureLook {
  QFont font;               // every text of the figure; the title uses it bold
  double line_width = 2.0;  // curve pens in plot units (pixels on screen, points in exports)
  bool dark = false;
  bool show_title = true;
  // One legend entry per series, and the line styles keyed once in a row under the plot (PlotCurve::series, style).
  bool compact_legend = false;
};

struct NearestPoint {
  int curve = -1;
  double x = 0, y = 0;
  double distance_px = 0;
};

class PlotFigure {
 public:
  explicit PlotFigure(QCustomPlot* plot, const FigureLook& look = {});

  void set_look(const FigureLook& look);  // restyles everything drawn so far
  void set_data(const PlotData& data);    // rebuilds curves and markers, fits the view
  void set_markers(const QVector<OperatingPoint>& markers);  // moves markers only; no replot
  // The markers' own buffered layer: redrawing it alone leaves the curves' pixels untouched.
  QCPLayer* marker_layer() const { return marker_layer_; }
  void reset_view();                      // axis ranges fitted to the data; no replot
  // After a layout (replot): moves marker labels so that none overlaps another, the legends or the axis rect's
  // edges; a label that fits nowhere is hidden rather than overprinted. No replot.
  void separate_marker_labels();
  void set_curve_visible(int curve, bool visible);  // the curve and its markers; no replot

  const PlotData& data() const { return data_; }
  const PlotTheme& theme() const { return theme_; }
  int curve_count() const { return graphs_.size(); }
  QCPGraph* graph(int curve) const { return graphs_.value(curve); }
  int curve_of(const QCPGraph* graph) const;  // -1 when it is not one of this figure's curves
  // A curve's palette slot: its colour group when set (a run's baselines share the run's colour), else its index.
  int color_slot(int curve) const {
    return curve >= 0 && curve < data_.curves.size() && data_.curves[curve].color_group >= 0 ? data_.curves[curve].color_group
                                                                                             : curve;
  }
  QColor curve_color(int curve) const { return theme_.curve_color(color_slot(curve)); }
  bool curve_visible(int curve) const;
  QVector<QPointF> marker_positions() const;  // data coordinates, in set_markers order
  // The data point of a visible curve closest to a pixel, if one lies within max_distance_px.
  std::optional<NearestPoint> nearest_point(QPointF pixel, double max_distance_px) const;

 private:
  struct Marker {
    QCPItemTracer* dot;
    QCPItemText* label;
  };

  double em() const;  // the font's size in plot units: paddings and tick lengths follow it
  void style_plot();
  void style_curve(int curve);
  void style_marker(const Marker& marker, int curve);
  void place_marker_label(const Marker& marker);
  void update_title();
  void resize_marker_pool(int count);
  void build_compact_legend();
  void remove_style_key();
  void style_legend(QCPLegend* legend);

  QCustomPlot* plot_;
  FigureLook look_;
  PlotTheme theme_;
  PlotData data_;
  QVector<QCPGraph*> graphs_;
  QHash<QString, int> curve_by_label_;
  QVector<Marker> markers_;
  QVector<int> marker_curves_;  // curve index of each marker, -1 when its label names no curve
  QCPTextElement* title_ = nullptr;
  QCPLayer* marker_layer_;
  QCPLayoutGrid* style_key_row_ = nullptr;  // compact legend: [spacer | key | spacer] under the plot
  QCPLegend* style_key_ = nullptr;
};

}  // namespace dynamax::views
