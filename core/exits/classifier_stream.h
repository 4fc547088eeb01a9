#pragma once
// An exit classifier followed token by token, as early-exit generation needs it: p(exit) for each new row of h_d
// at any of its exit depths, with a Mamba classifier's recurrent state carried from one token to the next at each
// depth. Fed a prompt whole and then one token per step, it gives the scores ExitClassifier::score gives the
// whole sequence at once.
#include <vector>

#include "core/exits/exit_classifier.h"

namespace dynamax {

class ClassifierStream {
 public:
  explicit ClassifierStream(const ExitClassifier& classifier);

  const ExitClassifier& classifier() const { return classifier_; }
  // True when the classifier carries a state across tokens (mamba): a depth that a token skips still has to see a
  // row for it, or the state's positions fall out of step with the tokens'.
  bool carries_state() const { return classifier_.net().state_size() > 0; }
  bool has_exit(int depth) const;

  void reset();  // a new sequence: every state back to zero
  // scores[T] = p(exit) for the next T rows of h [T × width] at `depth` (one of the classifier's depths), advancing
  // that depth's state; `scores` may be null when only the state matters.
  void advance(int depth, const float* h, int T, float* scores);
  float advance_one(int depth, const float* h);
  // Every exit's state: what a prefill leaves behind, copied into the streams of the policies that share it.
  const std::vector<std::vector<float>>& states() const { return states_; }
  void set_states(const std::vector<std::vector<float>>& states) { states_ = states; }

 private:
  const ExitClassifier& classifier_;
  std::vector<std::vector<float>> states_;  // per exit
  std::vector<float> unused_scores_;  // where scores go when the caller needs only the state
};

}  // namespace dynamax
