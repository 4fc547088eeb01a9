#include "app/ui/figure_export.h"

#include <QFile>
#include <QSaveFile>

#include "app/analysis/tradeoff_figure.h"
#include "app/ui/session_settings.h"
#include "core/analysis/tradeoff_export.h"
#include "views/export_figure_dialog.h"
#include "views/plot_export.h"

namespace dynamax::app {

static QString write_text(const QString& path, const QByteArray& text) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
    return QString("%1: cannot write (%2)").arg(path, file.errorString());
  return {};
}

QString export_figure(const views::PlotData& data, const views::PaperStyle& style, const QString& path) {
  if (data.curves.isEmpty()) return "Nothing to export: check a recorded run in the Runs list first.";
  try {
    views::export_plot(data, style, path);
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

QString export_curves_csv(const std::vector<const RunAnalysis*>& runs, const QString& path) {
  if (runs.empty()) return "Nothing to export: check a recorded run in the Runs list first.";
  return write_text(path, QByteArray::fromStdString(sweep_csv(runs)));
}

QString export_latex_table(const std::vector<OperatingPoint>& rows, const QString& path) {
  if (rows.empty()) return "Nothing to export: check a recorded run in the Runs list first.";
  return write_text(path, QByteArray::fromStdString(latex_operating_points(rows)));
}

QString export_figure_with_dialog(const views::PlotData& data, QWidget* parent) {
  views::ExportFigureDialog dialog(
      [&data](const views::PaperStyle& style, const QString& path) { return export_figure(data, style, path); }, parent);
  dialog.set_settings(load_figure_export_settings());
  if (dialog.exec() != QDialog::Accepted) return {};
  save_figure_export_settings(dialog.settings());
  return dialog.settings().path;
}

}  // namespace dynamax::app
