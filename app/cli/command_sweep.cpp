// dynamax sweep --db FILE (--run A | --runs A,B) [analysis options] (--csv | --json | --latex [--targets Q,...]
//               [--calibrated D,E [calibration options]]) [--out FILE]
// The trade-off curves of recorded runs as data: every threshold point with the static, oracle and random
// baselines (CSV or JSON), or a booktabs table of chosen operating points (LaTeX), to which --calibrated adds each
// run's Learn-then-Test certified τ.
#include <cmath>
#include <fstream>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "app/cli/analysis_args.h"
#include "app/cli/calibration_args.h"
#include "app/cli/commands.h"
#include "core/analysis/operating_points.h"
#include "core/analysis/tradeoff_export.h"
#include "core/common/error.h"
#include "core/common/number_text.h"

namespace dynamax::cli {

static nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

static nlohmann::json curve_json(const TradeoffCurve& c) {
  nlohmann::json points = nlohmann::json::array();
  for (const TradeoffPoint& p : c.points)
    points.push_back({{"parameter", number_or_null(p.parameter)}, {"mean_depth", p.mean_depth},
                      {"block_fraction", p.block_fraction}, {"flop_fraction", p.flop_fraction},
                      {"consistency", p.consistency}, {"accuracy", number_or_null(p.accuracy)},
                      {"answer_agreement", number_or_null(p.answer_agreement)}, {"exit_counts", p.exit_counts}});
  return {{"label", c.label}, {"kind", curve_kind_name(c.kind)}, {"depths", c.depths}, {"tokens", c.tokens},
          {"points", points}};
}

// The row of a run's certified τ: its label says what was certified (plain ASCII: LaTeX text mode).
static OperatingPoint calibrated_point(const app::LoadedRun& run, const AnalysisOptions& analysis,
                                       const CalibrationOptions& options) {
  const ThresholdCalibration c = calibrate_threshold(run.run, run.config, analysis, options, run.name);
  const std::string label = c.measure + ", certified (" + risk_level_name(options.risk) + ", delta " +
                            number_text(options.delta) + ", eps " + number_text(options.epsilon) + ")";
  return {run.name, label, CurveKind::Threshold, c.point};
}

// Rows of the LaTeX table: per run, the given τ values, or the cheapest points reaching each quality target; then
// with --calibrated its certified τ.
static std::vector<OperatingPoint> chosen_points(const AnalysedRuns& runs, const Args& args) {
  std::vector<OperatingPoint> rows;
  const bool by_tau = args.value("tau").has_value();
  const std::vector<double> targets = parse_double_list("targets", args.value_or("targets", "0.9,0.95,0.99"));
  std::optional<CalibrationOptions> calibration;
  if (auto levels = args.value("calibrated")) {
    const std::vector<double> v = parse_double_list("calibrated", *levels);
    if (v.size() != 2) throw UsageError("option --calibrated takes δ,ε (two numbers), got '" + *levels + "'");
    calibration = calibration_options_from_args(args, v[0], v[1], "calibrated", "calibrated");
  }
  for (size_t r = 0; r < runs.analyses.size(); ++r) {
    const RunAnalysis& a = *runs.analyses[r];
    if (by_tau) {
      for (size_t i = 0; i < a.threshold.points.size(); ++i) rows.push_back(operating_point(a.threshold, i));
    } else {
      for (double target : targets)
        if (auto i = cheapest_point_reaching(a.threshold, runs.axes.quality, target, runs.axes.compute))
          rows.push_back(operating_point(a.threshold, *i));
    }
    if (calibration) rows.push_back(calibrated_point(runs.loaded[r], runs.options, *calibration));
  }
  return rows;
}

int run_sweep(const Argv& argv) {
  std::set<std::string> valued = analysis_options();
  valued.insert({"out", "targets", "calibrated"});
  valued.insert(calibration_options().begin(), calibration_options().end());
  Args args("sweep", argv, valued, {"csv", "json", "latex"});
  const int formats = int(args.flag("csv")) + int(args.flag("json")) + int(args.flag("latex"));
  if (formats != 1) throw UsageError("'dynamax sweep' needs exactly one of --csv, --json, --latex");
  if (args.value("calibrated") && !args.flag("latex"))
    throw UsageError("option --calibrated adds rows to the --latex table; for the whole calibration see "
                     "'dynamax calibrate'");
  const AnalysedRuns runs = analyse_runs_from_args(args);

  std::string text;
  if (args.flag("csv")) {
    text = app::sweep_csv(runs.pointers());
  } else if (args.flag("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (size_t i = 0; i < runs.analyses.size(); ++i) {
      const RunAnalysis& a = *runs.analyses[i];
      nlohmann::json curves = nlohmann::json::array();
      for (const TradeoffCurve* c : {&a.threshold, &a.static_exits, &a.oracle, &a.random})
        if (!c->points.empty()) curves.push_back(curve_json(*c));
      out.push_back({{"run", runs.loaded[i].info.id}, {"name", a.run_name}, {"measure", a.threshold.label},
                     {"curves", curves}});
    }
    text = out.dump(1) + "\n";
  } else {
    const std::vector<OperatingPoint> rows = chosen_points(runs, args);
    if (rows.empty()) throw Error("no threshold reaches the quality targets; lower --targets or give --tau");
    text = latex_operating_points(rows);
  }
  if (auto out = args.value("out")) {
    std::ofstream file(*out, std::ios::binary | std::ios::trunc);
    if (!(file << text) || !file.flush()) throw Error(*out + ": cannot write");
    std::cerr << "wrote " << *out << "\n";
  } else {
    std::cout << text;
  }
  return 0;
}

}  // namespace dynamax::cli
