#pragma once
// The hover tooltip every plot shows: the text for the pixel under the mouse, hidden where there is none.
#include <QPoint>
#include <QString>

class QCustomPlot;

namespace dynamax::views {

void show_plot_tooltip(QCustomPlot* plot, QPoint pixel, const QString& text);

}  // namespace dynamax::views
