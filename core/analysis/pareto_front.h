#pragma once
// Pareto fronts over (compute ↓, quality ↑): the points no other point beats on both at once.
#include <cstddef>
#include <span>
#include <vector>

#include "core/analysis/tradeoff_point.h"

namespace dynamax {

struct PlanePoint {
  double compute = 0, quality = 0;
};

// Indices of the non-dominated points (no other has compute ≤ and quality ≥, one of them strictly), by
// increasing compute. Points with a NaN coordinate are never on the front; of identical points the first stays.
std::vector<size_t> pareto_front(std::span<const PlanePoint> points);

struct CurvePointIndex {
  size_t curve = 0, point = 0;
};
// The front of several curves together (any mix of thresholds and baselines), on the chosen axes.
std::vector<CurvePointIndex> pareto_front(std::span<const TradeoffCurve> curves, ComputeAxis compute,
                                          QualityAxis quality);

}  // namespace dynamax
