#pragma once
// What the window restores on start (QSettings): the last workspace, geometry and dock layout, the measure, axes,
// threshold and theme; and the last values of the Export figure dialog.
#include <QByteArray>
#include <QString>

#include "views/figure_export_settings.h"

namespace dynamax::app {

struct SessionState {
  QString workspace;  // empty: the default workspace
  QByteArray geometry, dock_state;
  QString measure = "max-prob";
  int compute_axis = 0, quality_axis = 0;
  double threshold = 0.5;
  bool dark = false;
};

SessionState load_session();
void save_session(const SessionState& state);

views::FigureExportSettings load_figure_export_settings();  // a paper single column by default
void save_figure_export_settings(const views::FigureExportSettings& settings);

}  // namespace dynamax::app
