#pragma once
// Puts a plot's legend inside its axis rect, in the corner where it hides the fewest curve points.
#include <QRect>
#include <QVector>

class QCustomPlot;

namespace dynamax::views {

// Lays the plot out (a replot), tries the four corners and keeps the emptiest; ties prefer
// bottom-right, where trade-off curves (rising to the top right) rarely go. Returns how many
// sampled curve points the legend still covers there (0: it hides nothing).
int place_legend_in_emptiest_corner(QCustomPlot* plot);

// Points along the visible curves of the plot, in pixels, about every 2 px along each line.
QVector<QPointF> sampled_curve_pixels(const QCustomPlot* plot);

}  // namespace dynamax::views
