#pragma once
// Puts a plot's legend where it hides no curve: inside the axis rect in the emptiest corner or,
// when every corner would hide curve points, centred in a row below the plot, entries side by side.
#include <QPointF>
#include <QVector>

class QCustomPlot;

namespace dynamax::views {

enum class LegendPlace { inside, below };

// Lays the plot out (a replot) to measure, then places the legend. Inside, ties prefer the
// bottom-right corner, where trade-off curves (rising to the top right) rarely go.
LegendPlace place_legend(QCustomPlot* plot);

// Points along the visible curves of the plot, in pixels, about every 2 px along each line.
QVector<QPointF> sampled_curve_pixels(const QCustomPlot* plot);

}  // namespace dynamax::views
