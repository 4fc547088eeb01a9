// dynamax plot --db FILE --runs A,B [analysis options] --out fig.pdf|.svg|.png [--preset single|double|screen]
//              [--width-cm W] [--height-cm H] [--dpi D] [--font FAMILY] [--font-pt P] [--mark-tau T | --mark-quality Q]
//              [--no-baselines] [--csv FILE]
// Accuracy-or-consistency versus compute, one threshold curve per run with its static and oracle baselines dashed,
// and an operating point marked; rendered offscreen (no display needed).
#include <QApplication>
#include <QFile>
#include <cstdlib>
#include <iostream>

#include "app/cli/analysis_args.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "views/paper_style.h"
#include "views/plot_export.h"

namespace dynamax::cli {

static views::PaperStyle style_from(const Args& args) {
  const std::string preset = args.value_or("preset", "single");
  views::PaperStyle style;
  if (preset == "single") style = views::paper_single_column();
  else if (preset == "double") style = views::paper_double_column();
  else if (preset == "screen") style = views::screen();
  else throw UsageError("option --preset must be single, double or screen, got '" + preset + "'");
  try {
    if (auto w = args.value("width-cm")) style.width_cm = views::parse_length_cm(QString::fromStdString(*w + "cm"));
    if (auto h = args.value("height-cm")) style.height_cm = views::parse_length_cm(QString::fromStdString(*h + "cm"));
  } catch (const views::StyleError& e) {
    throw UsageError(e.what());
  }
  style.dpi = args.int_value("dpi", style.dpi, 36, 2400);
  if (auto font = args.value("font")) style.font_family = QString::fromStdString(*font);
  style.font_pt = args.int_value("font-pt", style.font_pt, 4, 48);
  return style;
}

int run_plot(const Argv& argv) {
  std::set<std::string> valued = analysis_options();
  valued.insert({"out", "preset", "width-cm", "height-cm", "dpi", "font", "font-pt", "mark-tau", "mark-quality", "csv"});
  Args args("plot", argv, valued, {"no-baselines"});
  auto out = args.value("out");
  if (!out) throw UsageError("'dynamax plot' needs --out FILE (.pdf, .svg or .png)");
  const views::PaperStyle style = style_from(args);
  const AnalysedRuns runs = analyse_runs_from_args(args);

  // Qt renders offscreen: no display is needed for figures.
  if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  static int argc = 1;
  static char name[] = "dynamax";
  static char* qt_argv[] = {name, nullptr};
  QApplication app(argc, qt_argv);

  views::PlotData data = app::tradeoff_plot_data(runs.pointers(), runs.axes, !args.flag("no-baselines"));
  if (auto tau = args.value("mark-tau")) {
    data.markers = app::markers_at(runs.pointers(), runs.axes, parse_double_list("mark-tau", *tau).front());
  } else {
    const double quality = parse_double_list("mark-quality", args.value_or("mark-quality", "0.9")).front();
    for (const RunAnalysis* r : runs.pointers())
      if (auto tau = app::cheapest_tau(*r, runs.axes, quality)) data.markers += app::markers_at({r}, runs.axes, *tau);
  }
  try {
    views::export_plot(data, style, QString::fromStdString(*out));
    if (auto csv = args.value("csv")) {
      QFile file(QString::fromStdString(*csv));
      if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(views::curves_to_csv(data).toUtf8()) < 0)
        throw Error(*csv + ": cannot write");
    }
  } catch (const views::ExportError& e) {
    throw Error(e.what());
  }
  std::cerr << "wrote " << *out << " (" << data.curves.size() << " curves, " << data.markers.size() << " markers)\n";
  return 0;
}

}  // namespace dynamax::cli
