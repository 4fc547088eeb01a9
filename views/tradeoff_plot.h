#pragma once
// The interactive trade-off plot: quality vs compute, one curve per run/measure/classifier,
// operating-point markers the threshold slider moves, hover values, legend toggles, zoom and pan.
#include <QWidget>

#include "views/plot_data.h"
#include "views/plot_figure.h"

class QCustomPlot;
class QLabel;

namespace dynamax::views {

class TradeoffPlot : public QWidget {
  Q_OBJECT
 public:
  explicit TradeoffPlot(QWidget* parent = nullptr);

  void set_data(const PlotData& data);
  // Moves the markers and redraws only their layer (about 1 ms where a full replot of 8 curves of
  // 1,000 points takes 20): cheap enough for every slider step.
  void set_markers(const QVector<OperatingPoint>& markers);
  void reset_view();  // also on double click
  void set_dark(bool dark);
  void set_curve_visible(int curve, bool visible);  // also by clicking its legend entry
  // What the empty plot says, centred on it (what to do to see a curve); hidden while there are curves.
  void set_placeholder(const QString& text);
  QString placeholder() const;  // as shown; empty while there are curves

  bool is_dark() const { return look_.dark; }
  int curve_count() const { return figure_.curve_count(); }
  bool curve_visible(int curve) const { return figure_.curve_visible(curve); }
  QColor curve_color(int curve) const { return figure_.curve_color(curve); }
  QVector<QPointF> marker_positions() const { return figure_.marker_positions(); }
  QCustomPlot* plot() const { return plot_; }
  // What the hover tooltip says at a widget-pixel position of the plot; empty when no point is near.
  QString hover_text_at(QPoint pixel) const;

 signals:
  void curve_visibility_changed(int curve, bool visible);

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  void show_hover(QMouseEvent* event);

  void update_placeholder();

  QCustomPlot* plot_;
  QLabel* placeholder_;
  FigureLook look_;
  PlotFigure figure_;
};

}  // namespace dynamax::views
