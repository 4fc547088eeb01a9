#include "support/engine_test_helpers.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"

namespace testing_support {

std::vector<float> random_values(size_t n, float lo, float hi, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

float max_abs(const std::vector<float>& v) {
  float m = 0.0f;
  for (float x : v) m = std::max(m, std::fabs(x));
  return m;
}

QString error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const dynamax::Error& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

}  // namespace testing_support
