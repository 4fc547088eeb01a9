#pragma once
// A trained set of exit classifiers: one network of one kind per exit depth, each with its own weights (the
// depths see differently scaled and differently mature residual streams; separate weights cost nothing at run
// time, since a token evaluates one classifier per depth either way). What files and the database store, and what
// a recording scores with.
#include <nlohmann/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "core/exits/classifier_net.h"
#include "core/exits/exit_scorer.h"

namespace dynamax {

// x[T × width]: the classifiers' input from h[T × width] (no weights): h / rms(h) per row, or h itself.
void classifier_input(ClassifierInput input, const float* h, int T, int width, float* x);
// FLOPs of classifier_input per token.
int64_t classifier_input_flops(ClassifierInput input, int width);

class ExitClassifier final : public ExitScorer {
 public:
  // Fresh weights from `seed` at every depth; throws dynamax::Error for a bad spec or depths outside 1..L−1.
  ExitClassifier(std::string name, const ClassifierSpec& spec, std::vector<int> depths, int model_depths,
                 uint64_t seed);

  const std::string& name() const override { return name_; }
  const std::vector<int>& depths() const override { return depths_; }
  void score(int depth, const float* h, int T, float* scores) const override;
  size_t state_size() const override { return net_->state_size(); }
  void score_continued(int depth, const float* h, int T, float* state, float* scores) const override;

  void set_name(std::string name) { name_ = std::move(name); }
  const ClassifierSpec& spec() const { return spec_; }
  const ClassifierNet& net() const { return *net_; }
  int model_depths() const { return model_depths_; }
  int exit_index(int depth) const;  // position of `depth` in depths(); Error when it has no classifier
  // weights[i]: the flat parameters of the classifier at depths()[i].
  std::vector<std::vector<float>>& weights() { return weights_; }
  const std::vector<std::vector<float>>& weights() const { return weights_; }
  // Per exit: parameters, and FLOPs per token (input norm + network + sigmoid) for ExitCostOptions::classifier_flops.
  int64_t parameters_per_exit() const { return net_->parameter_count(); }
  int64_t flops_per_token() const;

  // What the training recorded (config, data, class balance, validation metrics); saved with the weights.
  nlohmann::json record = nlohmann::json::object();

 private:
  std::string name_;
  ClassifierSpec spec_;
  std::vector<int> depths_;
  int model_depths_;
  std::unique_ptr<ClassifierNet> net_;
  std::vector<std::vector<float>> weights_;
};

}  // namespace dynamax
