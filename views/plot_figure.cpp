#include "views/plot_figure.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "views/plot_axis_ticker.h"

namespace dynamax::views {

namespace {

// QCPGraph draws its legend sample 5 units past the icon and relies on clipping to cut it, which
// SVG output lacks (the line ran into the label): this sample stays inside the icon.
class FigureGraph : public QCPGraph {
 public:
  using QCPGraph::QCPGraph;

 protected:
  void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override {
    if (lineStyle() != lsNone) {
      applyDefaultAntialiasingHint(painter);
      painter->setPen(pen());
      painter->drawLine(QLineF(rect.left(), rect.center().y(), rect.right(), rect.center().y()));
    }
    if (!scatterStyle().isNone()) {
      applyScattersAntialiasingHint(painter);
      scatterStyle().applyTo(painter, pen());
      scatterStyle().drawShape(painter, rect.center());
    }
  }
};

QFont scaled_font(QFont font, double factor) {
  if (font.pixelSize() > 0)
    font.setPixelSize(std::max(1, qRound(font.pixelSize() * factor)));
  else
    font.setPointSizeF(font.pointSizeF() * factor);
  return font;
}

// QCPGraph keeps its points sorted by x. Sorting stably here keeps points of equal x in the order
// given (a sweep's threshold order), which QCPGraph's own sort does not promise.
void set_sorted_data(QCPGraph* graph, const PlotCurve& curve) {
  const int n = std::min(curve.x.size(), curve.y.size());
  QVector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return curve.x[a] < curve.x[b]; });
  QVector<double> x(n), y(n);
  for (int i = 0; i < n; ++i) {
    x[i] = curve.x[order[i]];
    y[i] = curve.y[order[i]];
  }
  graph->setData(x, y, true);
}

struct Extent {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  QCPRange padded(double fraction) const {
    if (lo > hi) return {0.0, 1.0};  // nothing to show
    const double pad = hi > lo ? (hi - lo) * fraction : std::max(std::abs(hi) * fraction, 0.05);
    return {lo - pad, hi + pad};
  }
};

}  // namespace

PlotFigure::PlotFigure(QCustomPlot* plot, const FigureLook& look) : plot_(plot) {
  plot_->setLocale(QLocale::c());  // "0.5", never "0,5", whatever the desktop's language
  plot_->addLayer("markers", plot_->layer("main"), QCustomPlot::limAbove);
  marker_layer_ = plot_->layer("markers");
  marker_layer_->setMode(QCPLayer::lmBuffered);
  plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new PlotTicker(false)));
  set_look(look);
}

double PlotFigure::em() const { return QFontInfo(look_.font).pixelSize(); }

void PlotFigure::set_look(const FigureLook& look) {
  look_ = look;
  theme_ = look.dark ? dark_theme() : light_theme();
  style_plot();
  for (int c = 0; c < graphs_.size(); ++c) style_curve(c);
  for (int m = 0; m < markers_.size(); ++m) style_marker(markers_[m], marker_curves_[m]);
  if (look_.compact_legend && !graphs_.isEmpty()) build_compact_legend();
  update_title();
}

void PlotFigure::style_plot() {
  const double e = em();
  const double thin = look_.line_width * 0.5;  // axes and grid recede behind the curves
  plot_->setBackground(theme_.background);
  const int edge = qRound(0.3 * e);
  plot_->plotLayout()->setMargins(QMargins(edge, edge, edge, edge));
  // QCustomPlot does not count tick labels overhanging the axis ends: leave room for half of one.
  plot_->axisRect()->setMinimumMargins(QMargins(0, qRound(0.4 * e), qRound(1.3 * e), 0));
  for (QCPAxis* axis : plot_->axisRect()->axes()) {
    const QPen pen(theme_.foreground, thin);
    axis->setBasePen(pen);
    axis->setTickPen(pen);
    axis->setSubTicks(false);
    axis->setTickLength(0, qRound(0.35 * e));
    axis->setTickLabelFont(look_.font);
    axis->setLabelFont(look_.font);
    axis->setTickLabelColor(theme_.foreground);
    axis->setLabelColor(theme_.foreground);
    axis->setTickLabelPadding(qRound(0.3 * e));
    axis->setLabelPadding(qRound(0.3 * e));
    axis->setPadding(qRound(0.2 * e));
    axis->grid()->setPen(QPen(theme_.grid, thin * 0.8));
    axis->grid()->setZeroLinePen(Qt::NoPen);  // 0 is not special on these axes
  }
  style_legend(plot_->legend);
  const int inset = qRound(0.4 * e);
  plot_->axisRect()->insetLayout()->setMargins(QMargins(inset, inset, inset, inset));
}

void PlotFigure::style_legend(QCPLegend* legend) {
  const double e = em();
  legend->setFont(look_.font);
  legend->setTextColor(theme_.foreground);
  legend->setBrush(theme_.legend_background);
  legend->setBorderPen(QPen(theme_.grid, look_.line_width * 0.5));
  // Wide enough to show a dash pattern; as tall as a line of text, so the sample sits mid-text.
  legend->setIconSize(qRound(2.2 * e), qRound(1.15 * e));
  legend->setIconTextPadding(qRound(0.4 * e));
  legend->setRowSpacing(0);
  legend->setColumnSpacing(qRound(0.8 * e));
  legend->setMargins(QMargins(qRound(0.4 * e), qRound(0.2 * e), qRound(0.5 * e), qRound(0.2 * e)));
}

void PlotFigure::style_curve(int c) {
  const PlotCurve& curve = data_.curves[c];
  QCPGraph* graph = graphs_[c];
  const QColor color = curve_color(c);
  QPen pen(color, look_.line_width);
  pen.setJoinStyle(Qt::RoundJoin);
  // Once the palette is used up its colours repeat: the repeats get their own dash pattern.
  const bool repeat = color_slot(c) >= theme_.curves.size();
  if (curve.baseline || repeat) {
    pen.setCapStyle(Qt::FlatCap);
    if (curve.baseline && repeat)
      pen.setDashPattern({1.0, 1.5});
    else if (curve.baseline)
      pen.setDashPattern({4.0, 2.5});
    else
      pen.setDashPattern({6.0, 2.0, 1.0, 2.0});
  } else {
    pen.setCapStyle(Qt::RoundCap);
  }
  if (curve.highlight) {  // under the curves, wide and light enough for the curve to show through it
    QColor band = color;
    band.setAlphaF(0.3);
    pen = QPen(band, look_.line_width * 5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    graph->setLayer("grid");
  }
  graph->setPen(pen);
  // A lone point would be an invisible line: draw it as a point too.
  const bool points = curve.scatter || graph->data()->size() == 1;
  graph->setLineStyle(curve.scatter ? QCPGraph::lsNone : QCPGraph::lsLine);
  if (points) {
    const double size = curve.highlight ? pen.widthF() : std::max(0.45 * em(), 2.5 * look_.line_width);
    const QBrush fill = curve.highlight ? QBrush(pen.color()) : curve.baseline ? QBrush(Qt::NoBrush) : QBrush(color);  // hollow: a baseline
    const QPen edge = curve.highlight ? QPen(Qt::NoPen) : QPen(color, look_.line_width * 0.6);
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, edge, fill, size));
  } else {
    graph->setScatterStyle(QCPScatterStyle());
  }
  if (QCPPlottableLegendItem* item = plot_->legend->itemWithPlottable(graph)) {
    item->setTextColor(graph->visible() ? theme_.foreground : theme_.hidden_text);
    // QCustomPlot clips every item one unit above its rect; in an export a unit is a whole point,
    // which would cut the descenders off.
    item->setMargins(QMargins(0, 0, 0, std::max(1, qRound(0.2 * em()))));
  }
}

void PlotFigure::style_marker(const Marker& marker, int curve) {
  const QColor color = curve >= 0 ? curve_color(curve) : theme_.foreground;
  marker.dot->setStyle(QCPItemTracer::tsCircle);
  marker.dot->setSize(std::max(0.7 * em(), 3.5 * look_.line_width));
  marker.dot->setPen(QPen(theme_.foreground, look_.line_width * 0.5));
  marker.dot->setBrush(color);
  marker.label->setFont(look_.font);
  marker.label->setColor(curve >= 0 ? curve_color(curve) : theme_.foreground);  // says which marker it labels
  marker.label->setBrush(theme_.legend_background);  // readable over grid lines and curves
  const int pad = qRound(0.15 * em());
  marker.label->setPadding(QMargins(pad, 0, pad, 0));
}

// Trade-off curves rise to the right, so above-left of a point is empty: the label goes there,
// unless the point is near the left or top edge of the view.
void PlotFigure::place_marker_label(const Marker& marker) {
  const QPointF at = marker.dot->position->coords();
  const QCPRange xr = plot_->xAxis->range(), yr = plot_->yAxis->range();
  const bool left = (at.x() - xr.lower) / xr.size() > 0.3;
  const bool above = (at.y() - yr.lower) / yr.size() < 0.85;
  const double offset = 0.45 * em();
  marker.label->setPositionAlignment((left ? Qt::AlignRight : Qt::AlignLeft) | (above ? Qt::AlignBottom : Qt::AlignTop));
  marker.label->position->setCoords(left ? -offset : offset, above ? -offset : offset);
}

void PlotFigure::update_title() {
  const bool wanted = look_.show_title && !data_.title.isEmpty();
  if (!wanted) {
    if (title_) {
      plot_->plotLayout()->remove(title_);
      plot_->plotLayout()->simplify();
      title_ = nullptr;
    }
    return;
  }
  if (!title_) {
    title_ = new QCPTextElement(plot_);
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, title_);
  }
  QFont font = scaled_font(look_.font, 1.1);
  font.setBold(true);
  title_->setFont(font);
  title_->setTextColor(theme_.foreground);
  title_->setText(data_.title);
}

void PlotFigure::remove_style_key() {
  if (!style_key_row_) return;
  plot_->plotLayout()->remove(style_key_row_);  // deletes the row with the key legend
  plot_->plotLayout()->simplify();
  style_key_row_ = nullptr;
  style_key_ = nullptr;
  for (int g = plot_->graphCount() - 1; g >= 0; --g)
    if (!graphs_.contains(plot_->graph(g))) plot_->removeGraph(g);  // the key's samples
}

// Each series is named once, by its first curve that is not a baseline; the styles are keyed by samples drawn in
// the foreground colour with a curve's pen and points, in one row under the plot.
void PlotFigure::build_compact_legend() {
  remove_style_key();
  QStringList named, styles;
  QVector<int> style_curves;
  for (QCPGraph* graph : graphs_) graph->removeFromLegend();
  for (int c = 0; c < graphs_.size(); ++c) {
    const PlotCurve& curve = data_.curves[c];
    if (!curve.style.isEmpty() && !styles.contains(curve.style)) styles << curve.style, style_curves << c;
    if (curve.series.isEmpty()) {
      graphs_[c]->addToLegend();
      continue;
    }
    if (curve.baseline || named.contains(curve.series)) continue;
    named << curve.series;
    graphs_[c]->setName(curve.series);
    graphs_[c]->addToLegend();
  }
  if (styles.isEmpty()) return;
  style_key_ = new QCPLegend;
  style_key_row_ = new QCPLayoutGrid;
  QCPLayoutGrid* layout = plot_->plotLayout();
  const int row = layout->rowCount();
  layout->addElement(row, 0, style_key_row_);
  layout->setRowStretchFactor(row, 0.001);  // as tall as the key, no more
  style_key_row_->addElement(0, 0, new QCPLayoutElement(plot_));
  style_key_row_->addElement(0, 1, style_key_);
  style_key_row_->addElement(0, 2, new QCPLayoutElement(plot_));
  style_key_row_->setColumnStretchFactors({1.0, 0.001, 1.0});
  style_key_->setLayer("legend");
  style_legend(style_key_);
  style_key_->setBorderPen(Qt::NoPen);
  style_key_->setBrush(Qt::NoBrush);
  style_key_->setWrap(styles.size());  // one row
  style_key_->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  for (int i = 0; i < styles.size(); ++i) {
    const QCPGraph* like = graphs_[style_curves[i]];
    QCPGraph* sample = new FigureGraph(plot_->xAxis, plot_->yAxis);  // no data: drawn only in the key
    sample->removeFromLegend();
    sample->setName(styles[i]);
    QPen pen = like->pen();
    pen.setColor(theme_.foreground);
    sample->setPen(pen);
    sample->setLineStyle(like->lineStyle());
    QCPScatterStyle points = like->scatterStyle();
    if (!points.isNone()) {
      points.setPen(QPen(theme_.foreground, points.pen().widthF()));
      if (points.brush().style() != Qt::NoBrush) points.setBrush(theme_.foreground);
    }
    sample->setScatterStyle(points);
    sample->addToLegend(style_key_);
    if (QCPPlottableLegendItem* item = style_key_->itemWithPlottable(sample))
      item->setMargins(QMargins(0, 0, 0, std::max(1, qRound(0.2 * em()))));
  }
}

void PlotFigure::set_data(const PlotData& data) {
  data_ = data;
  remove_style_key();
  plot_->clearGraphs();
  graphs_.clear();
  curve_by_label_.clear();
  for (int c = 0; c < data_.curves.size(); ++c) {
    QCPGraph* graph = new FigureGraph(plot_->xAxis, plot_->yAxis);  // the plot owns it
    graph->setName(data_.curves[c].label);
    graph->setAdaptiveSampling(false);  // it merges points per canvas unit: visible steps in a 600 dpi export
    set_sorted_data(graph, data_.curves[c]);
    graphs_.push_back(graph);
    curve_by_label_.insert(data_.curves[c].label, c);
    style_curve(c);
  }
  plot_->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new PlotTicker(data_.x_is_fraction)));
  if (look_.compact_legend) build_compact_legend();
  plot_->legend->setVisible(!data_.curves.isEmpty());
  plot_->xAxis->setLabel(data_.x_title);
  plot_->yAxis->setLabel(data_.y_title);
  update_title();
  reset_view();
  set_markers(data_.markers);
}

void PlotFigure::resize_marker_pool(int count) {
  while (markers_.size() > count) {
    const Marker marker = markers_.takeLast();
    plot_->removeItem(marker.label);  // the label hangs on the dot: remove it first
    plot_->removeItem(marker.dot);
  }
  while (markers_.size() < count) {
    Marker marker{new QCPItemTracer(plot_), new QCPItemText(plot_)};
    marker.label->position->setType(QCPItemPosition::ptAbsolute);  // a pixel offset from the dot
    marker.label->position->setParentAnchor(marker.dot->position);
    marker.dot->setLayer(marker_layer_);
    marker.label->setLayer(marker_layer_);
    markers_.push_back(marker);
  }
}

void PlotFigure::set_markers(const QVector<OperatingPoint>& markers) {
  data_.markers = markers;
  const int previous = markers_.size();
  resize_marker_pool(markers.size());
  marker_curves_.resize(markers.size());
  for (int m = 0; m < markers.size(); ++m) {
    const OperatingPoint& point = markers[m];
    const int curve = curve_by_label_.value(point.curve_label, -1);
    if (m >= previous || curve != marker_curves_[m]) style_marker(markers_[m], curve);
    marker_curves_[m] = curve;
    markers_[m].dot->position->setCoords(point.x, point.y);
    markers_[m].label->setText(point.text);
    markers_[m].label->setVisible(!point.text.isEmpty() && (curve < 0 || curve_visible(curve)));
    markers_[m].dot->setVisible(curve < 0 || curve_visible(curve));
    place_marker_label(markers_[m]);
  }
}

void PlotFigure::separate_marker_labels() {
  const QRectF area = plot_->axisRect()->rect();
  QVector<QRectF> taken;
  if (plot_->legend->visible() && plot_->legend->layout() == plot_->axisRect()->insetLayout())
    taken << plot_->legend->outerRect();
  const double offset = 0.45 * em();
  for (const Marker& marker : markers_) {
    if (!marker.label->visible()) continue;
    place_marker_label(marker);  // the preferred side first
    const Qt::Alignment preferred = marker.label->positionAlignment();
    bool placed = false;
    for (double distance : {1.0, 2.5}) {
      for (int side = 0; side < 4 && !placed; ++side) {
        // preferred, then mirrored horizontally, vertically, both
        const bool flip_x = side & 1, flip_y = side & 2;
        const bool left = bool(preferred & Qt::AlignRight) != flip_x, above = bool(preferred & Qt::AlignBottom) != flip_y;
        marker.label->setPositionAlignment((left ? Qt::AlignRight : Qt::AlignLeft) | (above ? Qt::AlignBottom : Qt::AlignTop));
        marker.label->position->setCoords((left ? -1 : 1) * offset * distance, (above ? -1 : 1) * offset * distance);
        const QRectF rect(marker.label->topLeft->pixelPosition(), marker.label->bottomRight->pixelPosition());
        placed = area.contains(rect) &&
                 std::none_of(taken.begin(), taken.end(), [&](const QRectF& other) { return other.intersects(rect); });
        if (placed) taken << rect;
      }
      if (placed) break;
    }
    marker.label->setVisible(placed);
  }
}

void PlotFigure::reset_view() {
  Extent x, y;
  for (const PlotCurve& curve : data_.curves) {
    for (double v : curve.x) x.add(v);
    for (double v : curve.y) y.add(v);
  }
  QCPRange x_range = x.padded(0.03);
  if (data_.x_is_fraction)  // the whole 0–100 % compute axis, wider only if the data is
    x_range = QCPRange(std::min(x.lo, 0.0) - 0.02, std::max(x.hi, 1.0) + 0.02);
  plot_->xAxis->setRange(x_range);
  plot_->yAxis->setRange(y.padded(0.05));
  for (const Marker& marker : markers_) place_marker_label(marker);
}

void PlotFigure::set_curve_visible(int curve, bool visible) {
  if (curve < 0 || curve >= graphs_.size()) return;
  graphs_[curve]->setVisible(visible);
  style_curve(curve);  // greys its legend entry
  for (int m = 0; m < markers_.size(); ++m) {
    if (marker_curves_[m] != curve) continue;
    markers_[m].dot->setVisible(visible);
    markers_[m].label->setVisible(visible && !markers_[m].label->text().isEmpty());
  }
}

int PlotFigure::curve_of(const QCPGraph* graph) const {
  return graphs_.indexOf(const_cast<QCPGraph*>(graph));
}

bool PlotFigure::curve_visible(int curve) const {
  return curve >= 0 && curve < graphs_.size() && graphs_[curve]->visible();
}

QVector<QPointF> PlotFigure::marker_positions() const {
  QVector<QPointF> positions;
  for (const Marker& marker : markers_) positions.push_back(marker.dot->position->coords());
  return positions;
}

std::optional<NearestPoint> PlotFigure::nearest_point(QPointF pixel, double max_distance_px) const {
  std::optional<NearestPoint> best;
  for (int c = 0; c < graphs_.size(); ++c) {
    const QCPGraph* graph = graphs_[c];
    if (!graph->visible()) continue;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
      const double distance = QLineF(graph->coordsToPixels(it->key, it->value), pixel).length();
      if (distance <= max_distance_px && (!best || distance < best->distance_px))
        best = NearestPoint{c, it->key, it->value, distance};
    }
  }
  return best;
}

}  // namespace dynamax::views
