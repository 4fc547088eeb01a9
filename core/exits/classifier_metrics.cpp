#include "core/exits/classifier_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace dynamax {

double binary_cross_entropy(float logit, int label) {
  const double z = logit;
  return std::max(z, 0.0) - z * label + std::log1p(std::exp(-std::fabs(z)));
}

double auroc(std::span<const float> scores, std::span<const uint8_t> labels) {
  const size_t n = scores.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t(0));
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  double positive_rank_sum = 0.0;
  size_t positives = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    const double rank = 0.5 * double(i + 1 + j);  // the average of ranks i+1 .. j
    for (size_t k = i; k < j; ++k)
      if (labels[order[k]]) {
        positive_rank_sum += rank;
        ++positives;
      }
    i = j;
  }
  const size_t negatives = n - positives;
  if (positives == 0 || negatives == 0) return std::nan("");
  return (positive_rank_sum - 0.5 * double(positives) * double(positives + 1)) / (double(positives) * double(negatives));
}

double auroc_standard_error(double a, size_t positives, size_t negatives) {
  if (std::isnan(a) || positives == 0 || negatives == 0) return std::nan("");
  const double n1 = double(positives), n0 = double(negatives);
  const double q1 = a / (2.0 - a), q2 = 2.0 * a * a / (1.0 + a);
  return std::sqrt((a * (1.0 - a) + (n1 - 1.0) * (q1 - a * a) + (n0 - 1.0) * (q2 - a * a)) / (n1 * n0));
}

nlohmann::json ExitMetrics::to_json() const {
  auto number = [](double v) { return std::isnan(v) ? nlohmann::json() : nlohmann::json(v); };
  return {{"depth", depth}, {"tokens", tokens}, {"positive_rate", positive_rate}, {"loss", loss},
          {"accuracy", accuracy}, {"auroc", number(auroc)}, {"auroc_se", number(auroc_se)}};
}

ExitMetrics exit_metrics(int depth, std::span<const float> logits, std::span<const uint8_t> labels) {
  ExitMetrics m;
  m.depth = depth;
  m.tokens = logits.size();
  double loss = 0.0;
  size_t correct = 0, positives = 0;
  for (size_t i = 0; i < logits.size(); ++i) {
    loss += binary_cross_entropy(logits[i], labels[i]);
    correct += (logits[i] > 0.0f) == (labels[i] != 0);
    positives += labels[i] != 0;
  }
  const double n = std::max<double>(1.0, double(m.tokens));
  m.loss = loss / n;
  m.accuracy = double(correct) / n;
  m.positive_rate = double(positives) / n;
  m.auroc = auroc(logits, labels);
  m.auroc_se = auroc_standard_error(m.auroc, positives, m.tokens - positives);
  return m;
}

}  // namespace dynamax
