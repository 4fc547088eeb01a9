#include "core/analysis/operating_points.h"

#include "core/common/error.h"

namespace dynamax {

OperatingPoint operating_point(const TradeoffCurve& curve, size_t index) {
  if (index >= curve.points.size())
    throw Error("operating point " + std::to_string(index) + " asked of a curve of " +
                std::to_string(curve.points.size()) + " points");
  return {curve.run, curve.label, curve.kind, curve.points[index]};
}

std::optional<size_t> cheapest_point_reaching(const TradeoffCurve& curve, QualityAxis quality, double min_quality,
                                              ComputeAxis compute) {
  std::optional<size_t> best;
  for (size_t i = 0; i < curve.points.size(); ++i) {
    const TradeoffPoint& p = curve.points[i];
    if (!(quality_of(p, quality) >= min_quality)) continue;
    if (!best) {
      best = i;
      continue;
    }
    const TradeoffPoint& b = curve.points[*best];
    const double pc = compute_of(p, compute), bc = compute_of(b, compute);
    if (pc < bc || (pc == bc && quality_of(p, quality) > quality_of(b, quality))) best = i;
  }
  return best;
}

}  // namespace dynamax
