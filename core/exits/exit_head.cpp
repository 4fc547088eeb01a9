#include "core/exits/exit_head.h"

#include <algorithm>

#include "core/common/error.h"

namespace dynamax {

ExitHead parse_exit_head(std::string_view name) {
  if (name == "direct") return ExitHead::Direct;
  if (name == "last-block") return ExitHead::LastBlock;
  throw Error("unknown exit head '" + std::string(name) + "'; valid: direct, last-block");
}

std::string exit_head_name(ExitHead head) { return head == ExitHead::LastBlock ? "last-block" : "direct"; }

SequenceExitHead::SequenceExitHead(Model& model, ExitHead head) : model_(model), head_(head) {}

void SequenceExitHead::logits(int depth, const float* h, int T, float* logits) {
  const int L = model_.depth();
  if (head_ == ExitHead::Direct || depth >= L) {
    model_.exit_head(h, T, logits);
    return;
  }
  if (!scratch_) scratch_ = model_.new_state();
  scratch_->reset();  // only block L's part is ever written
  rows_.assign(h, h + size_t(T) * size_t(model_.hidden_size()));
  model_.run_block(L, rows_.data(), T, 0, *scratch_);
  model_.exit_head(rows_.data(), T, logits);
}

}  // namespace dynamax
