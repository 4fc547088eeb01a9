#pragma once
// Training exit classifiers on a frozen model: features and labels from one forward pass per sequence of the
// training and validation data, then epochs on the cached features; the result saved as a classifier file and,
// with a database, in its `classifiers` table. Synchronous; the caller owns the thread. Progress and cancel as in
// core/exits/classifier_training.h.
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/exits/classifier_features.h"
#include "core/exits/classifier_training.h"

namespace dynamax::app {

struct TrainExitsOptions {
  std::filesystem::path model_dir;
  std::vector<std::string> train_specs;  // one dataset or several (e.g. three books), in order
  std::vector<std::string> valid_specs;  // none: the last fifth of the training sequences
  size_t limit = 0;                      // sequences of each spec; 0 = all
  ClassifierSpec classifier;  // width is taken from the model
  std::vector<int> depths;    // empty = the default placement
  ExitLabelRule labels;
  TrainOptions training;
  std::filesystem::path out;
  std::optional<std::filesystem::path> db_path;
  std::string name;  // default: the output file's stem
  bool replace = false;  // else a taken name (with a database) or an existing output file is an error
  int threads = 0;   // BLAS threads; 0 = OpenBLAS default
  Precision precision = Precision::FP32;  // of the backbone's matmuls while extracting features
};

struct TrainExitsProgress {
  std::string stage;  // "features" or "training"
  size_t done = 0, total = 0;
  std::optional<EpochReport> epoch;
};

struct TrainExitsResult {
  std::unique_ptr<ExitClassifier> classifier;
  TrainReport report;
  std::vector<double> train_positive_rate;  // per exit
  size_t train_tokens = 0, valid_tokens = 0;
  int64_t db_id = 0;  // 0 without a database
  std::vector<std::string> warnings;  // malformed records skipped under on_error=skip, "file:line: why"
};

TrainExitsResult run_train_exits_job(const TrainExitsOptions& options, const std::atomic<bool>& cancel,
                                     const std::function<void(const TrainExitsProgress&)>& progress = {});

}  // namespace dynamax::app
