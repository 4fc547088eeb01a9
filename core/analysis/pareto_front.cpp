#include "core/analysis/pareto_front.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dynamax {

std::vector<size_t> pareto_front(std::span<const PlanePoint> points) {
  std::vector<size_t> order;
  for (size_t i = 0; i < points.size(); ++i)
    if (!std::isnan(points[i].compute) && !std::isnan(points[i].quality)) order.push_back(i);
  // Cheapest first, and at equal compute the best first: then a point is on the front iff it beats the best
  // quality of every point before it.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (points[a].compute != points[b].compute) return points[a].compute < points[b].compute;
    return points[a].quality > points[b].quality;
  });
  std::vector<size_t> front;
  for (size_t i : order)
    if (front.empty() || points[i].quality > points[front.back()].quality) front.push_back(i);
  return front;
}

std::vector<CurvePointIndex> pareto_front(std::span<const TradeoffCurve> curves, ComputeAxis compute,
                                          QualityAxis quality) {
  std::vector<PlanePoint> plane;
  std::vector<CurvePointIndex> where;
  for (size_t c = 0; c < curves.size(); ++c)
    for (size_t p = 0; p < curves[c].points.size(); ++p) {
      plane.push_back({compute_of(curves[c].points[p], compute), quality_of(curves[c].points[p], quality)});
      where.push_back({c, p});
    }
  std::vector<CurvePointIndex> front;
  for (size_t i : pareto_front(plane)) front.push_back(where[i]);
  return front;
}

}  // namespace dynamax
