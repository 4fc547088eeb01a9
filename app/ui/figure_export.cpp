#include "app/ui/figure_export.h"

#include <QFile>
#include <QSaveFile>

#include "core/analysis/tradeoff_export.h"
#include "views/plot_export.h"

namespace dynamax::app {

views::PaperStyle paper_style(PaperPreset preset) {
  switch (preset) {
    case PaperPreset::SingleColumn: return views::paper_single_column();
    case PaperPreset::DoubleColumn: return views::paper_double_column();
    case PaperPreset::Screen: return views::screen();
  }
  return views::paper_single_column();
}

static QString write_text(const QString& path, const QByteArray& text) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
    return QString("%1: cannot write (%2)").arg(path, file.errorString());
  return {};
}

QString export_figure(const views::PlotData& data, PaperPreset preset, const QString& path) {
  if (data.curves.isEmpty()) return "Nothing to export: check a recorded run in the Runs list first.";
  try {
    views::export_plot(data, paper_style(preset), path);
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

QString export_curves_csv(const views::PlotData& data, const QString& path) {
  if (data.curves.isEmpty()) return "Nothing to export: check a recorded run in the Runs list first.";
  return write_text(path, views::curves_to_csv(data).toUtf8());
}

QString export_latex_table(const std::vector<OperatingPoint>& rows, const QString& path) {
  if (rows.empty()) return "Nothing to export: check a recorded run in the Runs list first.";
  return write_text(path, QByteArray::fromStdString(latex_operating_points(rows)));
}

}  // namespace dynamax::app
