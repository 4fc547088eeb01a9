#include "core/exits/exit_classifier.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"
#include "core/exits/classifier_activation.h"
#include "core/exits/exit_placement.h"

namespace dynamax {

static constexpr float kInputEps = 1e-5f;

void classifier_input(ClassifierInput input, const float* h, int T, int width, float* x) {
  if (input == ClassifierInput::Raw) {
    std::copy(h, h + int64_t(T) * width, x);
    return;
  }
  for (int t = 0; t < T; ++t) {
    const float* row = h + int64_t(t) * width;
    double sum = 0.0;
    for (int i = 0; i < width; ++i) sum += double(row[i]) * row[i];
    const float inv = 1.0f / std::sqrt(float(sum / width) + kInputEps);
    for (int i = 0; i < width; ++i) x[int64_t(t) * width + i] = row[i] * inv;
  }
}

int64_t classifier_input_flops(ClassifierInput input, int width) {
  return input == ClassifierInput::Raw ? 0 : 3 * int64_t(width) + 2;
}

ExitClassifier::ExitClassifier(std::string name, const ClassifierSpec& spec, std::vector<int> depths,
                               int model_depths, uint64_t seed)
    : name_(std::move(name)),
      spec_(spec),
      depths_(validated_exit_depths(model_depths, depths)),
      model_depths_(model_depths),
      net_(make_classifier_net(spec)) {
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < depths_.size(); ++i) {
    weights_.emplace_back(net_->layout().total());
    net_->init(weights_.back().data(), rng);
  }
}

int ExitClassifier::exit_index(int depth) const {
  for (size_t i = 0; i < depths_.size(); ++i)
    if (depths_[i] == depth) return int(i);
  throw Error("classifier '" + name_ + "' has no exit at depth " + std::to_string(depth));
}

int64_t ExitClassifier::flops_per_token() const {
  return classifier_input_flops(spec_.input, spec_.width) + net_->flops_per_token() + 3;  // + sigmoid
}

void ExitClassifier::score(int depth, const float* h, int T, float* scores) const {
  std::vector<float> state(net_->state_size(), 0.0f);
  score_continued(depth, h, T, state.data(), scores);
}

void ExitClassifier::score_continued(int depth, const float* h, int T, float* state, float* scores) const {
  const int i = exit_index(depth);
  std::vector<float> x(size_t(T) * spec_.width);
  classifier_input(spec_.input, h, T, spec_.width, x.data());
  net_->forward_continued(weights_[size_t(i)].data(), x.data(), T, state, scores);
  for (int t = 0; t < T; ++t) scores[t] = sigmoid(scores[t]);
}

}  // namespace dynamax
