#include "core/analysis/hoeffding_bentkus.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/common/error.h"
#include "core/common/number_text.h"

namespace dynamax {

namespace {

void require_level(double value, const char* name) {
  if (!(value > 0 && value < 1))
    throw Error(std::string(name) + " must lie strictly between 0 and 1, got " + number_text(value));
}

}  // namespace

double binomial_cdf(int64_t k, int64_t n, double p) {
  if (n < 0 || !(p >= 0 && p <= 1)) throw Error("binomial cdf: needs n ≥ 0 and p in [0, 1]");
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p == 0) return 1;
  if (p == 1) return 0;
  // Sum the terms in log space, relative to the largest: no overflow or underflow for any n.
  const double log_p = std::log(p), log_q = std::log1p(-p), log_n_fact = std::lgamma(double(n) + 1);
  auto log_term = [&](int64_t i) {
    return log_n_fact - std::lgamma(double(i) + 1) - std::lgamma(double(n - i) + 1) + double(i) * log_p +
           double(n - i) * log_q;
  };
  // The terms rise up to the mode ⌊(n + 1) p⌋ and fall after it: the largest summed is at min(k, mode).
  const int64_t mode = std::min<int64_t>(n, int64_t(std::floor(double(n + 1) * p)));
  const double top = log_term(std::min(k, mode));
  double sum = 0;
  for (int64_t i = k; i >= 0; --i) {
    const double t = std::exp(log_term(i) - top);
    sum += t;
    if (t < 1e-18 * sum && i < mode) break;  // the rest is a falling tail below double precision
  }
  return std::min(1.0, std::exp(top) * sum);
}

double bernoulli_kl(double a, double b) {
  const double first = a > 0 ? a * std::log(a / b) : 0.0;
  const double second = a < 1 ? (1 - a) * std::log((1 - a) / (1 - b)) : 0.0;
  return first + second;
}

double hoeffding_bentkus_p_value(double mean_loss, int64_t n, double delta) {
  require_level(delta, "δ");
  if (n < 1) throw Error("Hoeffding–Bentkus p-value: needs at least one sample");
  if (!(mean_loss >= 0 && mean_loss <= 1))
    throw Error("Hoeffding–Bentkus p-value: the mean loss must lie in [0, 1], got " + number_text(mean_loss));
  const double hoeffding = std::exp(-double(n) * bernoulli_kl(std::min(mean_loss, delta), delta));
  const auto losses = int64_t(std::ceil(double(n) * mean_loss - 1e-9));
  const double bentkus = std::numbers::e * binomial_cdf(losses, n, delta);
  return std::min(hoeffding, bentkus);
}

int64_t samples_to_certify(double delta, double epsilon) {
  require_level(delta, "δ");
  require_level(epsilon, "ε");
  auto n = int64_t(std::ceil(std::log(epsilon) / std::log1p(-delta)));
  n = std::max<int64_t>(n, 1);
  // The logarithms may round either way at the boundary: settle it on the p-value itself.
  while (hoeffding_bentkus_p_value(0, n, delta) > epsilon) ++n;
  while (n > 1 && hoeffding_bentkus_p_value(0, n - 1, delta) <= epsilon) --n;
  return n;
}

}  // namespace dynamax
