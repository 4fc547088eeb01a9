// dynamax calibrate --db FILE (--run A | --runs A,B) --delta δ --epsilon ε [--measure M] [--risk token|sequence]
//                   [--calibration-fraction F] [--seed S] [--thresholds N | --tau T,..] [--depths ..] [--json]
// Learn-then-Test calibration of the exit threshold (core/analysis/threshold_calibration.h): per run, the most
// aggressive τ whose risk against the full model is certified ≤ δ with probability ≥ 1 − ε, the compute it saves,
// the held-out risk, and every candidate with its p-value.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/analysis_args.h"
#include "app/cli/calibration_args.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/common/number_text.h"
#include "storage/run_store.h"
#include "storage/sqlite_db.h"

namespace dynamax::cli {

namespace {

// τ in JSON: a number, or "inf" / "-inf" (JSON has no infinities).
nlohmann::json tau_json(double tau) {
  return std::isfinite(tau) ? nlohmann::json(tau) : nlohmann::json(number_text(tau));
}
nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json calibration_json(int64_t run_id, const ThresholdCalibration& c) {
  const CandidateTest& best = c.certified();
  const TradeoffPoint& p = c.point;
  nlohmann::json candidates = nlohmann::json::array();
  for (const CandidateTest& t : c.certificate.candidates)
    candidates.push_back({{"tau", tau_json(t.threshold)}, {"calibration_risk", t.calibration_risk},
                          {"held_out_risk", number_or_null(t.held_out_risk)}, {"p_value", t.p_value},
                          {"status", candidate_status_name(t.status)}});
  return {{"run", run_id},
          {"name", c.run_name},
          {"measure", c.measure},
          {"risk", risk_level_name(c.options.risk)},
          {"delta", c.options.delta},
          {"epsilon", c.options.epsilon},
          {"calibration_fraction", c.options.calibration_fraction},
          {"seed", c.options.seed},
          {"samples", c.samples},
          {"samples_left_out", c.samples_left_out},
          {"calibration_samples", c.certificate.calibration_samples},
          {"held_out_samples", c.certificate.held_out_samples},
          {"samples_needed", c.certificate.samples_needed},
          {"certified",
           {{"tau", tau_json(best.threshold)}, {"calibration_risk", best.calibration_risk},
            {"p_value", best.p_value}, {"held_out_risk", number_or_null(best.held_out_risk)},
            {"mean_depth", p.mean_depth}, {"depths", int(p.exit_counts.size())},
            {"block_savings", 1 - p.block_fraction}, {"flop_savings", 1 - p.flop_fraction},
            {"executed_flops", p.executed_flops}, {"full_flops", p.full_flops}, {"consistency", p.consistency},
            {"accuracy", number_or_null(p.accuracy)}, {"answer_agreement", number_or_null(p.answer_agreement)}}},
          {"candidates", candidates}};
}

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

std::string calibration_text(int64_t run_id, const ThresholdCalibration& c) {
  const CandidateTest& best = c.certified();
  const TradeoffPoint& p = c.point;
  const CalibrationOptions& o = c.options;
  std::string out = "run " + std::to_string(run_id) + " (" + c.run_name + "), " + c.measure + ": " +
                    risk_level_name(o.risk) + " risk ≤ " + number_text(o.delta) + " with probability ≥ " +
                    number_text(1 - o.epsilon) + "\n";
  out += "  samples: " + std::to_string(c.samples) + " (" + std::to_string(c.samples_left_out) +
         " without a scored position left out); " + std::to_string(c.certificate.calibration_samples) +
         " calibrate, " + std::to_string(c.certificate.held_out_samples) + " held out (fraction " +
         number_text(o.calibration_fraction) + ", seed " + std::to_string(o.seed) + ")\n";
  out += "  certified τ = " + number_text(best.threshold) + "  (calibration risk " +
         format("%.4f", best.calibration_risk) + ", p = " + format("%.3g", best.p_value) + "; held-out risk " +
         format("%.4f", best.held_out_risk) + ")\n";
  out += "  at this τ over the whole run: mean depth " + format("%.2f", p.mean_depth) + " of " +
         std::to_string(p.exit_counts.size()) + ", saves " + format("%.1f", 100 * (1 - p.block_fraction)) +
         " % of blocks and " + format("%.1f", 100 * (1 - p.flop_fraction)) + " % of FLOPs; consistency " +
         format("%.1f", 100 * p.consistency) + " %\n";
  out += "  candidates, safe to aggressive (fixed-sequence testing stops at the first p > ε = " +
         number_text(o.epsilon) + "):\n";
  char line[160];
  // "τ" is two bytes wide for printf and one column on screen.
  std::snprintf(line, sizeof line, "  %13s %10s %14s %10s  %s\n", "τ", "cal. risk", "held-out risk", "p-value",
                "status");
  out += line;
  for (const CandidateTest& t : c.certificate.candidates) {
    std::snprintf(line, sizeof line, "  %12.6g %10.4f %14.4f %10.3g  %s\n", t.threshold, t.calibration_risk,
                  t.held_out_risk, t.p_value, candidate_status_name(t.status));
    out += line;
  }
  return out;
}

// A run without any sample yet gets the calibration's own message: how many it would need.
void require_samples(const Args& args, const CalibrationOptions& options) {
  Database db(database_from_args(args), Database::Mode::ReadOnly);
  for (int id : run_ids_from_args(args)) {
    const RunInfo info = RunStore(db).run(id);
    if (info.kind == "record" && info.samples_done == 0)
      throw Error("run " + std::to_string(id) + " has no recorded samples; " + samples_needed_text(options));
  }
}

}  // namespace

int run_calibrate(const Argv& argv) {
  std::set<std::string> valued = calibration_options();
  valued.insert({"db", "run", "runs", "measure", "depths", "min-depth", "thresholds", "tau", "delta", "epsilon"});
  Args args("calibrate", argv, valued, {"json"});
  CalibrationOptions options =
      calibration_options_from_args(args, number_option(args, "delta", NAN), number_option(args, "epsilon", NAN),
                                    "delta", "epsilon");
  options.threshold_count = args.int_value("thresholds", 100, 1, 1'000'000);
  if (auto taus = args.value("tau")) options.thresholds = parse_double_list("tau", *taus);
  require_samples(args, options);
  const LoadedRuns runs = load_runs_from_args(args);

  nlohmann::json json = nlohmann::json::array();
  std::string text;
  for (const app::LoadedRun& r : runs.loaded) {
    const ThresholdCalibration c = calibrate_threshold(r.run, r.config, runs.options, options, r.name);
    json.push_back(calibration_json(r.info.id, c));
    text += (text.empty() ? "" : "\n") + calibration_text(r.info.id, c);
  }
  std::cout << (args.flag("json") ? json.dump(1) + "\n" : text);
  return 0;
}

}  // namespace dynamax::cli
