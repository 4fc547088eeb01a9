#include "app/cli/analysis_args.h"

#include <cmath>
#include <filesystem>

#include "core/analysis/exit_policy.h"
#include "core/common/error.h"
#include "storage/schema.h"

namespace dynamax::cli {

const std::set<std::string>& analysis_options() {
  static const std::set<std::string> names = {"db", "run", "runs", "measure", "depths", "min-depth", "thresholds",
                                              "tau", "positions", "x", "y"};
  return names;
}

std::vector<const RunAnalysis*> AnalysedRuns::pointers() const {
  std::vector<const RunAnalysis*> out;
  for (const auto& a : analyses) out.push_back(a.get());
  return out;
}

std::vector<double> parse_double_list(const std::string& option, const std::string& text) {
  std::vector<double> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    if (item == "inf" || item == "+inf") out.push_back(INFINITY);
    else if (item == "-inf") out.push_back(-INFINITY);
    else {
      size_t used = 0;
      double v = 0;
      try {
        v = std::stod(item, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != item.size() || std::isnan(v))
        throw UsageError("option --" + option + " must be a comma-separated list of numbers, got '" + item + "'");
      out.push_back(v);
    }
    start = comma + 1;
  }
  return out;
}

static app::FigureAxes axes_from(const Args& args) {
  app::FigureAxes axes;
  const std::string x = args.value_or("x", "blocks"), y = args.value_or("y", "consistency");
  if (x == "blocks") axes.compute = ComputeAxis::Blocks;
  else if (x == "flops") axes.compute = ComputeAxis::Flops;
  else throw UsageError("option --x must be blocks or flops, got '" + x + "'");
  if (y == "consistency") axes.quality = QualityAxis::Consistency;
  else if (y == "accuracy") axes.quality = QualityAxis::Accuracy;
  else if (y == "agreement") axes.quality = QualityAxis::AnswerAgreement;
  else throw UsageError("option --y must be consistency, accuracy or agreement, got '" + y + "'");
  return axes;
}

std::string database_from_args(const Args& args) {
  auto path = args.value("db");
  if (!path) throw UsageError("needs --db FILE");
  if (!std::filesystem::exists(*path)) throw Error(*path + ": no such database");
  return *path;
}

std::vector<int> run_ids_from_args(const Args& args) {
  std::vector<int> ids;
  if (args.value("runs")) ids = args.int_list("runs");
  if (args.value("run")) ids.push_back(args.int_value("run", 0, 1, 1 << 30));
  if (ids.empty()) throw UsageError("needs --run ID or --runs A,B");
  return ids;
}

LoadedRuns load_runs_from_args(const Args& args) {
  const std::string path = database_from_args(args);
  const std::vector<int> ids = run_ids_from_args(args);
  LoadedRuns out;
  AnalysisOptions& options = out.options;
  options.measure = args.value_or("measure", "max-prob");
  try {
    if (auto depths = args.value("depths")) options.depths = parse_depth_list(*depths);
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  options.min_depth = args.int_value("min-depth", 1, 1, 1 << 20);
  options.threshold_count = args.int_value("thresholds", 200, 1, 1'000'000);
  if (auto taus = args.value("tau")) options.thresholds = parse_double_list("tau", *taus);
  const std::string positions = args.value_or("positions", "answer");
  if (positions == "answer") options.accuracy_positions = AccuracyPositions::Answer;
  else if (positions == "all") options.accuracy_positions = AccuracyPositions::All;
  else throw UsageError("option --positions must be answer or all, got '" + positions + "'");

  Database db(path, Database::Mode::ReadOnly);
  check_readable_workspace(db);
  // Runs are named as in the window, "model · dataset #id" (a figure's legend drops the id where it is unique), so
  // that the window's CSV export and `sweep --csv` agree.
  for (int id : ids) out.loaded.push_back(app::load_run(db, id));
  return out;
}

AnalysedRuns analyse_runs_from_args(const Args& args) {
  AnalysedRuns out;
  out.axes = axes_from(args);
  LoadedRuns runs = load_runs_from_args(args);
  out.loaded = std::move(runs.loaded);
  out.options = runs.options;
  for (const app::LoadedRun& r : out.loaded)
    out.analyses.push_back(std::make_unique<RunAnalysis>(analyse_run(r.run, r.config, runs.options, r.name)));
  return out;
}

}  // namespace dynamax::cli
