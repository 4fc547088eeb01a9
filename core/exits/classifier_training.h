#pragma once
// Training a set of exit classifiers on cached features of a frozen backbone: loss = Σ_exits w_d · mean binary
// cross-entropy, with w_d growing linearly with depth, or with the exit's index (1:2:3:4, the authors' code),
// normalised to sum 1, unless given; one optimiser per exit, AdamW or schedule-free AdamW; mini-batches of whole
// sequences (the Mamba classifier's state runs over each); early stopping on the validation loss, keeping the best
// epoch's weights, or every epoch run and the last kept. Deterministic for a seed: initialisation and batch order
// come from it alone.
#include <atomic>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/exits/adamw.h"
#include "core/exits/classifier_features.h"
#include "core/exits/classifier_metrics.h"
#include "core/exits/exit_classifier.h"
#include "core/exits/schedule_free_adamw.h"

namespace dynamax {

enum class Optimiser { AdamW, ScheduleFreeAdamW };
enum class ExitLossWeights { Depth, ExitIndex };  // w ∝ d, or w ∝ 1, 2, 3, ... by exit

struct TrainOptions {
  int epochs = 10;
  int batch_sequences = 4;
  int patience = 3;             // epochs without a better validation loss before stopping
  bool early_stopping = true;   // false: run every epoch and keep the last weights
  uint64_t seed = 0;
  Optimiser optimiser = Optimiser::AdamW;
  AdamWOptions adamw;
  ScheduleFreeAdamWOptions schedule_free;
  ExitLossWeights loss_weights = ExitLossWeights::Depth;
  std::vector<double> depth_weights;  // one per exit; empty = by loss_weights

  nlohmann::json to_json() const;
};

struct EpochReport {
  int epoch = 0, epochs = 0;
  double train_loss = 0, valid_loss = 0;
  bool best = false;  // the best validation loss so far
};

struct TrainReport {
  std::vector<EpochReport> epochs;
  int best_epoch = 0;  // the epoch whose weights are kept (the last one without early stopping)
  bool stopped_early = false;
  std::vector<double> depth_weights;  // normalised, as used
  std::vector<ExitMetrics> validation;  // of the kept (best) weights

  nlohmann::json to_json() const;
};

// The loss weights of `depths`: `given` normalised (Error when its size differs or a weight is negative or all are
// zero), or w_d = d / Σ d (Depth), or w_i = (i + 1) / Σ (ExitIndex, i the exit's index in `depths`).
std::vector<double> exit_loss_weights(std::span<const int> depths, std::span<const double> given = {},
                                      ExitLossWeights rule = ExitLossWeights::Depth);

// Trains `classifier` in place (its depths must be the features'). `on_epoch` is called after each epoch;
// `cancel` is checked between mini-batches (throws Cancelled).
TrainReport train_exit_classifier(ExitClassifier& classifier, const ExitFeatures& train, const ExitFeatures& valid,
                                  const TrainOptions& options, const std::function<void(const EpochReport&)>& on_epoch = {},
                                  const std::atomic<bool>* cancel = nullptr);

// Per-exit metrics of the classifier's current weights on `data`.
std::vector<ExitMetrics> evaluate_exit_classifier(const ExitClassifier& classifier, const ExitFeatures& data);

}  // namespace dynamax
