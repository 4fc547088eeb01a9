#include "core/analysis/run_analysis.h"

#include "core/analysis/baselines.h"
#include "core/analysis/confidence_measure.h"
#include "core/analysis/exit_policy.h"

namespace dynamax {

HeadEvaluations head_evaluations_for(const std::string& measure) {
  const ConfidenceMeasure m = parse_measure(measure);
  return m.kind == MeasureKind::Saturation || m.kind == MeasureKind::Classifier ? HeadEvaluations::ExitOnly
                                                                                 : HeadEvaluations::EveryAllowedDepthToExit;
}

RunAnalysis analyse_run(const RecordedRun& run, const ModelConfig& config, const AnalysisOptions& options,
                        const std::string& run_name) {
  const ConfidenceMeasure measure = parse_measure(options.measure);
  const ExitPolicy policy = make_exit_policy(run.depths, options.depths, options.min_depth);
  const ExitOutcomes outcomes(run, options.accuracy_positions);
  ExitCostOptions cost_options;
  cost_options.head_evaluations = head_evaluations_for(options.measure);
  cost_options.last_block = run.last_block;
  if (measure.kind == MeasureKind::Classifier) {
    const auto flops = run.classifier_flops.find(measure.classifier);
    if (flops != run.classifier_flops.end()) cost_options.classifier_flops = flops->second;
  }
  const ExitCost cost(config, policy, cost_options);
  const std::vector<float> scores = confidence_scores(run, measure);

  RunAnalysis a;
  a.run_name = run_name;
  a.sweep = std::make_unique<ThresholdSweep>(outcomes, scores, policy, cost, measure.name());
  const std::vector<double> taus =
      options.thresholds.empty() ? quantile_thresholds(scores, policy, options.threshold_count) : options.thresholds;
  a.threshold = a.sweep->curve(taus);
  a.static_exits = static_exits(outcomes, policy, config);
  a.oracle = oracle_exits(outcomes, policy, config);
  if (options.random_baseline) {
    std::vector<double> targets;
    for (const TradeoffPoint& p : a.threshold.points) targets.push_back(p.mean_depth);
    a.random = random_exits(outcomes, policy, config, targets);
  }
  for (TradeoffCurve* c : {&a.threshold, &a.static_exits, &a.oracle, &a.random}) c->run = run_name;
  return a;
}

}  // namespace dynamax
