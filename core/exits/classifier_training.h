#pragma once
// Training a set of exit classifiers on cached features of a frozen backbone: loss = Σ_exits w_d · mean binary
// cross-entropy, with w_d growing linearly with depth (normalised to sum 1) unless given; AdamW; mini-batches of
// whole sequences (the Mamba classifier's state runs over each); early stopping on the validation loss, keeping
// the best epoch's weights. Deterministic for a seed: initialisation and batch order come from it alone.
#include <atomic>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/exits/adamw.h"
#include "core/exits/classifier_features.h"
#include "core/exits/classifier_metrics.h"
#include "core/exits/exit_classifier.h"

namespace dynamax {

struct TrainOptions {
  int epochs = 10;
  int batch_sequences = 4;
  int patience = 3;  // epochs without a better validation loss before stopping
  uint64_t seed = 0;
  AdamWOptions adamw;
  std::vector<double> depth_weights;  // one per exit; empty = linear in depth

  nlohmann::json to_json() const;
};

struct EpochReport {
  int epoch = 0, epochs = 0;
  double train_loss = 0, valid_loss = 0;
  bool best = false;  // the best validation loss so far
};

struct TrainReport {
  std::vector<EpochReport> epochs;
  int best_epoch = 0;
  bool stopped_early = false;
  std::vector<double> depth_weights;  // normalised, as used
  std::vector<ExitMetrics> validation;  // of the kept (best) weights

  nlohmann::json to_json() const;
};

// The loss weights of `depths`: `given` normalised (Error when its size differs or a weight is negative or all are
// zero), or w_d = d / Σ d.
std::vector<double> exit_loss_weights(std::span<const int> depths, std::span<const double> given = {});

// Trains `classifier` in place (its depths must be the features'). `on_epoch` is called after each epoch;
// `cancel` is checked between mini-batches (throws Cancelled).
TrainReport train_exit_classifier(ExitClassifier& classifier, const ExitFeatures& train, const ExitFeatures& valid,
                                  const TrainOptions& options, const std::function<void(const EpochReport&)>& on_epoch = {},
                                  const std::atomic<bool>* cancel = nullptr);

// Per-exit metrics of the classifier's current weights on `data`.
std::vector<ExitMetrics> evaluate_exit_classifier(const ExitClassifier& classifier, const ExitFeatures& data);

}  // namespace dynamax
