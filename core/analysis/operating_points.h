#pragma once
// Choosing operating points on a curve: the settings a paper's table reports. For a given τ, ThresholdSweep::at
// gives the exact point.
#include <optional>
#include <string>

#include "core/analysis/tradeoff_point.h"

namespace dynamax {

// A chosen point with what names it in a table.
struct OperatingPoint {
  std::string run, label;
  CurveKind kind = CurveKind::Threshold;
  TradeoffPoint point;
};

OperatingPoint operating_point(const TradeoffCurve& curve, size_t index);

// The index of the point with the least compute (the largest savings) whose quality is at least `min_quality`;
// at equal compute the higher quality. Empty when no point reaches it.
std::optional<size_t> cheapest_point_reaching(const TradeoffCurve& curve, QualityAxis quality, double min_quality,
                                              ComputeAxis compute = ComputeAxis::Flops);

}  // namespace dynamax
