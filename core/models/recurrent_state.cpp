#include "core/models/recurrent_state.h"

#include <algorithm>
#include <string>

#include "core/common/error.h"

namespace dynamax {

RecurrentState::RecurrentState(int blocks, int conv_rows, int conv_dim, size_t ssm_size)
    : blocks_(blocks),
      conv_rows_(conv_rows),
      conv_dim_(conv_dim),
      ssm_size_(ssm_size),
      conv_(size_t(blocks) * conv_size()),
      ssm_(size_t(blocks) * ssm_size_) {}

std::unique_ptr<ModelState> RecurrentState::clone() const { return std::make_unique<RecurrentState>(*this); }

void RecurrentState::reset() {
  std::fill(conv_.begin(), conv_.end(), 0.0f);
  std::fill(ssm_.begin(), ssm_.end(), 0.0f);
  position = 0;
}

void RecurrentState::truncate(int n) {
  if (n >= position) return;
  throw Error("cannot truncate a recurrent (state-space) state from " + std::to_string(position) + " to " +
              std::to_string(n) +
              " tokens: a recurrent state cannot forget tokens; clone the state before the tokens you may take back");
}

void RecurrentState::check_depth(int depth) const {
  if (depth < 1 || depth > blocks_)
    throw Error("recurrent state: depth " + std::to_string(depth) + " is outside 1.." + std::to_string(blocks_));
}

std::span<float> RecurrentState::conv(int depth) {
  check_depth(depth);
  return {conv_.data() + size_t(depth - 1) * conv_size(), conv_size()};
}

std::span<const float> RecurrentState::conv(int depth) const {
  check_depth(depth);
  return {conv_.data() + size_t(depth - 1) * conv_size(), conv_size()};
}

std::span<float> RecurrentState::ssm(int depth) {
  check_depth(depth);
  return {ssm_.data() + size_t(depth - 1) * ssm_size_, ssm_size_};
}

std::span<const float> RecurrentState::ssm(int depth) const {
  check_depth(depth);
  return {ssm_.data() + size_t(depth - 1) * ssm_size_, ssm_size_};
}

}  // namespace dynamax
