#pragma once
// One point of an accuracy-versus-compute trade-off and the curves built from them: what sweeps and baselines
// return, and what plots, tables and exports read.
#include <cstdint>
#include <string>
#include <vector>

namespace dynamax {

struct TradeoffPoint {
  double parameter = 0;       // what produced it: τ, a static depth, the oracle's share of tokens, a target depth
  double mean_depth = 0;      // mean executed depth over all tokens
  double block_fraction = 0;  // mean_depth / L
  int64_t executed_flops = 0; // all tokens: blocks, exit heads and classifiers
  int64_t full_flops = 0;     // all tokens through the full model with its one head
  double flop_fraction = 0;   // executed_flops / full_flops
  double consistency = 0;     // tokens whose exit top-1 equals the full model's top-1, over all tokens
  double accuracy = 0;        // exit top-1 equals the target, over the accuracy positions (NaN when none)
  double answer_agreement = 0;  // samples whose every answer position agrees with the full model (NaN when none)
  std::vector<int64_t> exit_counts;  // [L]: tokens exiting at depth d in exit_counts[d − 1]
};

enum class CurveKind { Threshold, Static, Oracle, Random };
const char* curve_kind_name(CurveKind kind);  // "threshold", "static", "oracle", "random"

struct TradeoffCurve {
  std::string run;    // the run's name, set by the caller (tables and CSV show it)
  std::string label;  // for legends and tables: the measure ("max-prob"), "static", "oracle", "random"
  CurveKind kind = CurveKind::Threshold;
  int depths = 0;                 // L
  size_t tokens = 0;              // positions evaluated (all of the run)
  size_t accuracy_positions = 0;  // denominators of accuracy
  size_t answer_samples = 0;      // and of answer agreement
  bool last_block = false;        // a token leaving below L also ran block L (the last-block exit head)
  std::vector<TradeoffPoint> points;
};

// The axes a plot, a Pareto front or an operating-point choice reads.
enum class ComputeAxis { Blocks, Flops };
enum class QualityAxis { Consistency, Accuracy, AnswerAgreement };
double compute_of(const TradeoffPoint& point, ComputeAxis axis);  // a fraction of the full model
double quality_of(const TradeoffPoint& point, QualityAxis axis);

}  // namespace dynamax
