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
  app::FigureAxes axes;
  std::vector<const RunAnalysis*> pointers() const;
};

// Opens --db, loads every run of --run/--runs and analyses it with --measure, --depths, --min-depth,
// --thresholds (a count), --tau (explicit values), --positions, --x and --y.
AnalysedRuns analyse_runs_from_args(const Args& args);

// "0.5,0.9" → {0.5, 0.9}; "inf" and "-inf" allowed.
std::vector<double> parse_double_list(const std::string& option, const std::string& text);

}  // namespace dynamax::cli
