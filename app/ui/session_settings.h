#pragma once
// What the window restores on start (QSettings): the last workspace, geometry and dock layout, the measure, axes,
// threshold (per measure), the checked runs and theme; and the last values of the Export figure dialog.
#include <QByteArray>
#include <QMap>
#include <QString>
#include <QVector>

#include "views/figure_export_settings.h"

namespace dynamax::app {

struct SessionState {
  QString workspace;  // empty: the default workspace
  QByteArray geometry, dock_state;
  QString measure = "max-prob";
  int compute_axis = 0, quality_axis = 0;
  double threshold = 0.5;
  QMap<QString, double> thresholds;  // τ per measure key, as last set
  QString checked_in;                // the workspace whose runs `checked_runs` are
  QVector<qint64> checked_runs;      // in order: their order gives the curves' colours
  bool dark = false;
};

SessionState load_session();
void save_session(const SessionState& state);

views::FigureExportSettings load_figure_export_settings();  // a paper single column by default
void save_figure_export_settings(const views::FigureExportSettings& settings);

}  // namespace dynamax::app
