#pragma once
// Colours of a plot for the light (also paper) and dark themes. Curve colours follow the
// Okabe–Ito palette, which stays distinguishable under the common colour-vision deficiencies.
#include <QColor>
#include <QVector>

namespace dynamax::views {

struct PlotTheme {
  QColor background;
  QColor foreground;         // axes, ticks, text
  QColor grid;
  QColor legend_background;  // slightly translucent so a curve under the legend stays visible
  QColor hidden_text;        // legend entry of a curve toggled off
  QVector<QColor> curves;    // used in order, then repeated

  QColor curve_color(int index) const { return curves[index % curves.size()]; }
};

PlotTheme light_theme();
PlotTheme dark_theme();

}  // namespace dynamax::views
