#include "app/ui/session_settings.h"

#include <QSettings>

namespace dynamax::app {

// Organisation and application names come from QCoreApplication (set by the launcher; tests use their own).
SessionState load_session() {
  QSettings s;
  SessionState state;
  state.workspace = s.value("workspace").toString();
  state.geometry = s.value("window/geometry").toByteArray();
  state.dock_state = s.value("window/docks").toByteArray();
  state.measure = s.value("tradeoff/measure", state.measure).toString();
  state.compute_axis = s.value("tradeoff/compute", 0).toInt();
  state.quality_axis = s.value("tradeoff/quality", 0).toInt();
  state.threshold = s.value("tradeoff/threshold", state.threshold).toDouble();
  state.dark = s.value("theme/dark", false).toBool();
  return state;
}

void save_session(const SessionState& state) {
  QSettings s;
  s.setValue("workspace", state.workspace);
  s.setValue("window/geometry", state.geometry);
  s.setValue("window/docks", state.dock_state);
  s.setValue("tradeoff/measure", state.measure);
  s.setValue("tradeoff/compute", state.compute_axis);
  s.setValue("tradeoff/quality", state.quality_axis);
  s.setValue("tradeoff/threshold", state.threshold);
  s.setValue("theme/dark", state.dark);
}

}  // namespace dynamax::app
