#pragma once
// Small helpers the engine suites (transformer, Mamba2, Mamba-1) share.
#include <QString>
#include <functional>
#include <random>
#include <vector>

namespace testing_support {

// n values drawn uniformly from [lo, hi).
std::vector<float> random_values(size_t n, float lo, float hi, std::mt19937& rng);
// The largest |x| of v (0 for an empty v).
float max_abs(const std::vector<float>& v);
// The message of the dynamax::Error `fn` throws, or an empty string when it throws none.
QString error_of(const std::function<void()>& fn);

}  // namespace testing_support
