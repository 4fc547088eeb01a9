#pragma once
// How an exit at depth d < L reads its token:
//   direct      lm_head(final_norm(h_d)), the logit lens (ours, and the authors' labels);
//   last-block  the model's last block L runs on h_d first, then final norm and lm_head (the DYNAMAX authors' code
//               at inference, `layers[-1]` after an exit). Only the prediction changes: confidence measures are
//               still read from the direct head, as their labels and classifiers are. The extra block is counted.
// At depth L both are the model's own output.
#include <memory>
#include <string>
#include <string_view>

#include "core/models/model.h"

namespace dynamax {

enum class ExitHead { Direct, LastBlock };

ExitHead parse_exit_head(std::string_view name);  // Error naming the valid ones
std::string exit_head_name(ExitHead head);

// The exits' logits over one teacher-forced sequence, depth by depth (lens, recording): with last-block, block L
// runs on the T rows of h_d as if they were its input, its context being the same depth's exit states of the
// sequence (a scratch state, cleared for every depth; the sequence starts at position 0).
class SequenceExitHead {
 public:
  SequenceExitHead(Model& model, ExitHead head);
  ExitHead head() const { return head_; }
  // logits[T × vocab] of the exits at `depth` for rows h[T × hidden].
  void logits(int depth, const float* h, int T, float* logits);

 private:
  Model& model_;
  ExitHead head_;
  std::unique_ptr<ModelState> scratch_;
  std::vector<float> rows_;
};

}  // namespace dynamax
