#include "core/exits/classifier_stream.h"

#include <algorithm>

#include "core/exits/classifier_activation.h"

namespace dynamax {

ClassifierStream::ClassifierStream(const ExitClassifier& classifier)
    : classifier_(classifier),
      states_(classifier.depths().size(), std::vector<float>(classifier.net().state_size(), 0.0f)) {}

bool ClassifierStream::has_exit(int depth) const {
  const auto& d = classifier_.depths();
  return std::find(d.begin(), d.end(), depth) != d.end();
}

void ClassifierStream::reset() {
  for (auto& s : states_) std::fill(s.begin(), s.end(), 0.0f);
}

void ClassifierStream::advance(int depth, const float* h, int T, float* scores) {
  const size_t exit = size_t(classifier_.exit_index(depth));
  const int width = classifier_.spec().width;
  x_.resize(size_t(T) * width);
  logits_.resize(size_t(T));
  classifier_input(h, T, width, x_.data());
  classifier_.net().forward_continued(classifier_.weights()[exit].data(), x_.data(), T, states_[exit].data(),
                                      logits_.data());
  if (scores)
    for (int t = 0; t < T; ++t) scores[t] = sigmoid(logits_[size_t(t)]);
}

float ClassifierStream::advance_one(int depth, const float* h) {
  float score = 0.0f;
  advance(depth, h, 1, &score);
  return score;
}

}  // namespace dynamax
