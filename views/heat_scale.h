#pragma once
// The one colour scale of the token inspector: 0 (light, weak) to 1 (saturated blue, strong), in a light and a
// dark variant. The heatmap maps confidence onto it and the generated text the exit depth, so both read alike.
#include <QColor>

namespace dynamax::views {

// t is clamped to [0, 1].
QColor heat_colour(double t, bool dark);
// Text that stays legible on `fill`.
QColor ink_on(const QColor& fill);
// Where exit depth `depth` of `depths` sits on the scale: depth 1 → 0, the full model → 1.
double depth_on_scale(int depth, int depths);

}  // namespace dynamax::views
