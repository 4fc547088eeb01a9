#include "app/ui/session_settings.h"

#include <QSettings>
#include <QVariant>

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
  const QVariantMap thresholds = s.value("tradeoff/thresholds").toMap();
  for (auto it = thresholds.begin(); it != thresholds.end(); ++it)
    if (it.value().canConvert<double>()) state.thresholds[it.key()] = it.value().toDouble();
  state.checked_in = s.value("runs/workspace").toString();
  for (const QVariant& id : s.value("runs/checked").toList())
    if (id.canConvert<qint64>()) state.checked_runs << id.toLongLong();
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
  QVariantMap thresholds;
  for (auto it = state.thresholds.begin(); it != state.thresholds.end(); ++it) thresholds[it.key()] = it.value();
  s.setValue("tradeoff/thresholds", thresholds);
  s.setValue("runs/workspace", state.checked_in);
  QVariantList checked;
  for (qint64 id : state.checked_runs) checked << id;
  s.setValue("runs/checked", checked);
  s.setValue("theme/dark", state.dark);
}

views::FigureExportSettings load_figure_export_settings() {
  QSettings s;
  views::FigureExportSettings e;
  e.path = s.value("export/path").toString();
  e.preset = s.value("export/preset", e.preset).toString();
  e.inches = s.value("export/unit").toString() == "in";
  e.style.width_cm = s.value("export/width_cm", e.style.width_cm).toDouble();
  e.style.height_cm = s.value("export/height_cm", e.style.height_cm).toDouble();
  e.style.dpi = s.value("export/dpi", e.style.dpi).toInt();
  e.style.font_family = s.value("export/font", e.style.font_family).toString();
  e.style.font_pt = s.value("export/font_pt", e.style.font_pt).toInt();
  e.style.line_width_pt = s.value("export/line_width_pt", e.style.line_width_pt).toDouble();
  e.style.show_title = s.value("export/title", e.style.show_title).toBool();
  return e;
}

void save_figure_export_settings(const views::FigureExportSettings& e) {
  QSettings s;
  s.setValue("export/path", e.path);
  s.setValue("export/preset", e.preset);
  s.setValue("export/unit", e.inches ? "in" : "cm");
  s.setValue("export/width_cm", e.style.width_cm);
  s.setValue("export/height_cm", e.style.height_cm);
  s.setValue("export/dpi", e.style.dpi);
  s.setValue("export/font", e.style.font_family);
  s.setValue("export/font_pt", e.style.font_pt);
  s.setValue("export/line_width_pt", e.style.line_width_pt);
  s.setValue("export/title", e.style.show_title);
}

}  // namespace dynamax::app
