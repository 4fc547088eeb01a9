#include "views/heat_scale.h"

#include <algorithm>

namespace dynamax::views {

static QColor mix(const QColor& a, const QColor& b, double t) {
  return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                          float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QColor heat_colour(double t, bool dark) {
  t = std::clamp(t, 0.0, 1.0);
  return dark ? mix(QColor(38, 40, 46), QColor(64, 160, 220), t) : mix(QColor(250, 250, 252), QColor(20, 90, 170), t);
}

QColor ink_on(const QColor& fill) { return fill.lightnessF() < 0.55 ? QColor(250, 250, 250) : QColor(25, 25, 25); }

double depth_on_scale(int depth, int depths) {
  return depths > 1 ? double(depth - 1) / double(depths - 1) : 1.0;
}

}  // namespace dynamax::views
