#pragma once
// The options `sweep` and `plot` share: which runs, which measure and exits, which axes.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "app/analysis/loaded_run.h"
#include "app/analysis/tradeoff_figure.h"
#include "app/cli/cli_args.h"
#include "core/analysis/run_analysis.h"

namespace dynamax::cli {

// Option names taking a value, to merge into a command's own.
const std::set<std::string>& analysis_options();

struct AnalysedRuns {
  std::vector<app::LoadedRun> loaded;
  std::vector<std::unique_ptr<RunAnalysis>> analyses;
  AnalysisOptions options;
  app::FigureAxes axes;
  std::vector<const RunAnalysis*> pointers() const;
};

// --db, which must exist.
std::string database_from_args(const Args& args);
// The ids of --run and --runs.
std::vector<int> run_ids_from_args(const Args& args);

struct LoadedRuns {
  std::vector<app::LoadedRun> loaded;  // named by model alone when that is unambiguous, else with the run id
  AnalysisOptions options;
};

// Opens --db and loads every run of --run/--runs, with the analysis options --measure, --depths, --min-depth,
// --thresholds (a count), --tau (explicit values) and --positions.
LoadedRuns load_runs_from_args(const Args& args);

// The runs of load_runs_from_args analysed, and the axes of --x and --y.
AnalysedRuns analyse_runs_from_args(const Args& args);

// "0.5,0.9" → {0.5, 0.9}; "inf" and "-inf" allowed.
std::vector<double> parse_double_list(const std::string& option, const std::string& text);

}  // namespace dynamax::cli
