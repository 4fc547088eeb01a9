#include "views/plot_theme.h"

namespace dynamax::views {

// Okabe–Ito order chosen for contrast: on white the pale yellow is left out (too faint), on dark
// grey the deep blue goes last (too dark).
PlotTheme light_theme() {
  return {QColor(255, 255, 255), QColor(30, 30, 30), QColor(218, 218, 218), QColor(255, 255, 255, 225),
          QColor(160, 160, 160),
          {QColor("#0072B2"), QColor("#D55E00"), QColor("#009E73"), QColor("#CC79A7"), QColor("#E69F00"),
           QColor("#56B4E9"), QColor("#000000")}};
}

PlotTheme dark_theme() {
  return {QColor(32, 33, 36), QColor(220, 220, 220), QColor(70, 72, 76), QColor(32, 33, 36, 225),
          QColor(110, 110, 110),
          {QColor("#56B4E9"), QColor("#E69F00"), QColor("#009E73"), QColor("#CC79A7"), QColor("#F0E442"),
           QColor("#D55E00"), QColor("#0072B2")}};
}

}  // namespace dynamax::views
