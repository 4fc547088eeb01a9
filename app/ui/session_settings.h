#pragma once
// What the window restores on start (QSettings): the last workspace, geometry and dock layout, the measure, axes,
// threshold and theme.
#include <QByteArray>
#include <QString>

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

}  // namespace dynamax::app
