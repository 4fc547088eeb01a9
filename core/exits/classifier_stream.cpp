#include "core/exits/classifier_stream.h"

#include <algorithm>

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
  if (!scores) {
    unused_scores_.resize(size_t(T));
    scores = unused_scores_.data();
  }
  classifier_.score_continued(depth, h, T, states_[size_t(classifier_.exit_index(depth))].data(), scores);
}

float ClassifierStream::advance_one(int depth, const float* h) {
  float score = 0.0f;
  advance(depth, h, 1, &score);
  return score;
}

}  // namespace dynamax
