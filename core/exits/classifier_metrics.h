#pragma once
// How well an exit classifier separates good exits from bad ones: binary cross-entropy, accuracy at p = 0.5, and
// the area under the ROC curve, computed exactly from ranks.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>

namespace dynamax {

// −[y·log σ(z) + (1 − y)·log(1 − σ(z))], stable for any logit z.
double binary_cross_entropy(float logit, int label);

// AUROC = P(score of a random positive > score of a random negative), ties counting ½: the Mann–Whitney statistic
// from the ranks of all scores (tied scores share their average rank). NaN when either class is absent.
double auroc(std::span<const float> scores, std::span<const uint8_t> labels);

// The standard error of an AUROC of `positives` and `negatives` (Hanley & McNeil 1982), for telling a real signal
// from chance: tokens of one text are not independent, so it is a lower bound. NaN when the AUROC is.
double auroc_standard_error(double auroc, size_t positives, size_t negatives);

struct ExitMetrics {
  int depth = 0;
  size_t tokens = 0;
  double positive_rate = 0, loss = 0, accuracy = 0, auroc = 0, auroc_se = 0;
  nlohmann::json to_json() const;  // AUROC null when undefined
};

// Metrics of logits against labels.
ExitMetrics exit_metrics(int depth, std::span<const float> logits, std::span<const uint8_t> labels);

}  // namespace dynamax
