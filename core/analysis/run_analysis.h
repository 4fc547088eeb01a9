#pragma once
// Everything the trade-off views, the CLI and the paper exports show for one recorded run and one confidence
// measure: the threshold curve, the static, oracle and random baselines on the same axes, and the sweep itself
// for exact points at any τ (the slider).
#include <memory>
#include <string>
#include <vector>

#include "core/analysis/compute_cost.h"
#include "core/analysis/exit_outcomes.h"
#include "core/analysis/exit_policy.h"
#include "core/analysis/recorded_run.h"
#include "core/analysis/threshold_sweep.h"
#include "core/io/model_config.h"

namespace dynamax {

struct AnalysisOptions {
  std::string measure = "max-prob";
  std::vector<int> depths;            // allowed exit depths; empty = every depth
  int min_depth = 1;
  int threshold_count = 200;          // quantile thresholds (+ −∞ and +∞) when `thresholds` is empty
  std::vector<double> thresholds;     // explicit τ values
  AccuracyPositions accuracy_positions = AccuracyPositions::Answer;
  bool random_baseline = true;
};

struct RunAnalysis {
  std::string run_name;
  TradeoffCurve threshold, static_exits, oracle, random;
  std::unique_ptr<ThresholdSweep> sweep;
};

// What every analysis of a run under one measure starts from: the allowed depths, each exit's outcome, the
// measure's scores and the threshold sweep over them (costed with the measure's heads and classifier).
struct MeasuredRun {
  ExitPolicy policy;
  ExitOutcomes outcomes;
  std::vector<float> scores;  // [tokens × depths]
  std::unique_ptr<ThresholdSweep> sweep;
};

// Throws dynamax::Error as analyse_run does.
MeasuredRun measure_run(const RecordedRun& run, const ModelConfig& config, const AnalysisOptions& options);

// Throws dynamax::Error for an unknown measure, bad depths or an empty run.
RunAnalysis analyse_run(const RecordedRun& run, const ModelConfig& config, const AnalysisOptions& options,
                        const std::string& run_name);

// A softmax measure needs the exit head at every depth it checks; saturation and classifiers do not.
HeadEvaluations head_evaluations_for(const std::string& measure);

}  // namespace dynamax
