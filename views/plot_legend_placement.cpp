#include "views/plot_legend_placement.h"

#include <qcustomplot.h>

#include <cmath>

namespace dynamax::views {

namespace {

constexpr double kSampleSpacingPx = 2.0;

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

int place_legend_in_emptiest_corner(QCustomPlot* plot) {
  QCPLayoutInset* inset = plot->axisRect()->insetLayout();
  const int index = inset->elements(false).indexOf(plot->legend);
  if (index < 0 || !plot->legend->visible()) return 0;
  plot->replot();  // lays out: the axis rect and the legend get their sizes
  const QVector<QPointF> samples = sampled_curve_pixels(plot);
  const QSize size = plot->legend->outerRect().size();
  int best_covered = -1;
  Qt::Alignment best_corner;
  for (Qt::Alignment corner : {Qt::AlignBottom | Qt::AlignRight, Qt::AlignTop | Qt::AlignLeft,
                               Qt::AlignTop | Qt::AlignRight, Qt::AlignBottom | Qt::AlignLeft}) {
    const QRectF rect = aligned_rect(inset->rect(), size, corner);
    const int covered = static_cast<int>(
        std::count_if(samples.begin(), samples.end(), [&](QPointF p) { return rect.contains(p); }));
    if (best_covered < 0 || covered < best_covered) {
      best_covered = covered;
      best_corner = corner;
    }
  }
  inset->setInsetAlignment(index, best_corner);
  return best_covered;
}

}  // namespace dynamax::views
