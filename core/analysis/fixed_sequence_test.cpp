#include "core/analysis/fixed_sequence_test.h"

namespace dynamax {

size_t fixed_sequence_rejections(std::span<const double> p_values, double epsilon) {
  size_t rejected = 0;
  while (rejected < p_values.size() && p_values[rejected] <= epsilon) ++rejected;
  return rejected;
}

}  // namespace dynamax
