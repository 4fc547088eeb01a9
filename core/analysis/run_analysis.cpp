#include "core/analysis/run_analysis.h"

#include "core/analysis/baselines.h"
#include "core/analysis/confidence_measure.h"

namespace dynamax {

HeadEvaluations head_evaluations_for(const std::string& measure) {
  const ConfidenceMeasure m = parse_measure(measure);
  return m.kind == MeasureKind::Saturation || m.kind == MeasureKind::Classifier ? HeadEvaluations::ExitOnly
                                                                                 : HeadEvaluations::EveryAllowedDepthToExit;
}

MeasuredRun measure_run(const RecordedRun& run, const ModelConfig& config, const AnalysisOptions& options) {
  const ConfidenceMeasure measure = parse_measure(options.measure);
  MeasuredRun m{make_exit_policy(run.depths, options.depths, options.min_depth),
                ExitOutcomes(run, options.accuracy_positions), confidence_scores(run, measure), nullptr};
  ExitCostOptions cost_options;
  cost_options.head_evaluations = head_evaluations_for(options.measure);
  cost_options.last_block = run.last_block;
  if (measure.kind == MeasureKind::Classifier) {
    const auto flops = run.classifier_flops.find(measure.classifier);
    if (flops != run.classifier_flops.end()) cost_options.classifier_flops = flops->second;
  }
  const ExitCost cost(config, m.policy, cost_options);
  m.sweep = std::make_unique<ThresholdSweep>(m.outcomes, m.scores, m.policy, cost, measure.name());
  return m;
}

RunAnalysis analyse_run(const RecordedRun& run, const ModelConfig& config, const AnalysisOptions& options,
                        const std::string& run_name) {
  MeasuredRun m = measure_run(run, config, options);
  RunAnalysis a;
  a.run_name = run_name;
  const std::vector<double> taus = options.thresholds.empty()
                                       ? quantile_thresholds(m.scores, m.policy, options.threshold_count)
                                       : options.thresholds;
  a.threshold = m.sweep->curve(taus);
  a.sweep = std::move(m.sweep);
  a.static_exits = static_exits(m.outcomes, m.policy, config);
  a.oracle = oracle_exits(m.outcomes, m.policy, config);
  if (options.random_baseline) {
    std::vector<double> targets;
    for (const TradeoffPoint& p : a.threshold.points) targets.push_back(p.mean_depth);
    a.random = random_exits(m.outcomes, m.policy, config, targets);
  }
  for (TradeoffCurve* c : {&a.threshold, &a.static_exits, &a.oracle, &a.random}) c->run = run_name;
  return a;
}

}  // namespace dynamax
