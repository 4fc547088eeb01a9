#include "core/analysis/tradeoff_point.h"

namespace dynamax {

const char* curve_kind_name(CurveKind kind) {
  switch (kind) {
    case CurveKind::Threshold: return "threshold";
    case CurveKind::Static: return "static";
    case CurveKind::Oracle: return "oracle";
    case CurveKind::Random: return "random";
  }
  return "?";
}

double compute_of(const TradeoffPoint& point, ComputeAxis axis) {
  return axis == ComputeAxis::Blocks ? point.block_fraction : point.flop_fraction;
}

double quality_of(const TradeoffPoint& point, QualityAxis axis) {
  switch (axis) {
    case QualityAxis::Consistency: return point.consistency;
    case QualityAxis::Accuracy: return point.accuracy;
    case QualityAxis::AnswerAgreement: return point.answer_agreement;
  }
  return 0;
}

}  // namespace dynamax
