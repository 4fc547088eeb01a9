#include "views/plot_legend_placement.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace dynamax::views {

namespace {

constexpr double kSampleSpacingPx = 2.0;
constexpr double kShrinkToFit = 0.001;  // stretch factor that keeps a layout cell at its minimum size

void add_segment_samples(QPointF from, QPointF to, QVector<QPointF>& out) {
  const int steps = static_cast<int>(std::ceil(QLineF(from, to).length() / kSampleSpacingPx));
  for (int i = 1; i < steps; ++i) out.push_back(from + (to - from) * (double(i) / steps));
}

QRect aligned_rect(const QRect& area, QSize size, Qt::Alignment corner) {
  QRect rect(QPoint(0, 0), size);
  if (corner & Qt::AlignLeft) rect.moveLeft(area.left()); else rect.moveRight(area.right());
  if (corner & Qt::AlignTop) rect.moveTop(area.top()); else rect.moveBottom(area.bottom());
  return rect;
}

// Back into the axis rect as one column, undoing a previous move below the plot.
void move_inside(QCustomPlot* plot) {
  QCPLayoutInset* inset = plot->axisRect()->insetLayout();
  if (plot->legend->layout() == inset) return;
  QCPLayout* row = plot->legend->layout();
  row->take(plot->legend);
  plot->plotLayout()->remove(row);  // deletes the row with its spacers
  plot->plotLayout()->simplify();
  inset->addElement(plot->legend, Qt::AlignRight | Qt::AlignBottom);
  plot->legend->setWrap(0);  // before the fill order, which rearranges the entries
  plot->legend->setFillOrder(QCPLayoutGrid::foRowsFirst);
}

// A row under everything: [spacer | legend | spacer], the legend at its natural width.
void move_below(QCustomPlot* plot) {
  QCPLegend* legend = plot->legend;
  int widest = 1;
  for (int i = 0; i < legend->itemCount(); ++i) widest = std::max(widest, legend->item(i)->outerRect().width());
  plot->axisRect()->insetLayout()->take(legend);
  auto* row = new QCPLayoutGrid;
  QCPLayoutGrid* layout = plot->plotLayout();
  const int index = layout->rowCount();
  layout->addElement(index, 0, row);
  layout->setRowStretchFactor(index, kShrinkToFit);
  row->addElement(0, 0, new QCPLayoutElement(plot));
  row->addElement(0, 1, legend);
  row->addElement(0, 2, new QCPLayoutElement(plot));
  row->setColumnStretchFactors({1.0, kShrinkToFit, 1.0});
  const int fitting = layout->rect().width() / (widest + legend->columnSpacing());
  legend->setWrap(std::clamp(fitting, 1, std::max(1, legend->itemCount())));  // entries per row
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
}

}  // namespace

QVector<QPointF> sampled_curve_pixels(const QCustomPlot* plot) {
  QVector<QPointF> samples;
  for (int g = 0; g < plot->graphCount(); ++g) {
    const QCPGraph* graph = plot->graph(g);
    if (!graph->visible()) continue;
    const bool connected = graph->lineStyle() != QCPGraph::lsNone;
    QPointF previous;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
      const QPointF pixel = graph->coordsToPixels(it->key, it->value);
      if (connected && it != graph->data()->constBegin()) add_segment_samples(previous, pixel, samples);
      samples.push_back(pixel);
      previous = pixel;
    }
  }
  return samples;
}

LegendPlace place_legend(QCustomPlot* plot) {
  move_inside(plot);
  plot->replot();  // lays out: the axis rect and the legend get their sizes
  QCPLayoutInset* inset = plot->axisRect()->insetLayout();
  const QVector<QPointF> samples = sampled_curve_pixels(plot);
  const QSize size = plot->legend->outerRect().size();
  for (Qt::Alignment corner : {Qt::AlignBottom | Qt::AlignRight, Qt::AlignTop | Qt::AlignLeft,
                               Qt::AlignTop | Qt::AlignRight, Qt::AlignBottom | Qt::AlignLeft}) {
    const QRectF rect = aligned_rect(inset->rect(), size, corner);
    if (std::none_of(samples.begin(), samples.end(), [&](QPointF p) { return rect.contains(p); })) {
      inset->setInsetAlignment(inset->elements(false).indexOf(plot->legend), corner);
      return LegendPlace::inside;
    }
  }
  move_below(plot);
  return LegendPlace::below;
}

}  // namespace dynamax::views
