#include "views/plot_tooltip.h"

#include <QToolTip>
#include <qcustomplot.h>

namespace dynamax::views {

void show_plot_tooltip(QCustomPlot* plot, QPoint pixel, const QString& text) {
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(plot->mapToGlobal(pixel), text, plot);
}

}  // namespace dynamax::views
