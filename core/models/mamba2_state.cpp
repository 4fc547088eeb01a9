#include "core/models/mamba2_state.h"

#include <algorithm>
#include <string>

#include "core/common/error.h"

namespace dynamax {

Mamba2State::Mamba2State(int blocks, const Mamba2Config& config)
    : blocks_(blocks),
      conv_rows_(config.conv_kernel - 1),
      conv_dim_(config.conv_dim()),
      ssm_size_(size_t(config.num_heads) * config.head_dim * config.state_size),
      conv_(size_t(blocks) * conv_size()),
      ssm_(size_t(blocks) * ssm_size_) {}

std::unique_ptr<ModelState> Mamba2State::clone() const { return std::make_unique<Mamba2State>(*this); }

void Mamba2State::reset() {
  std::fill(conv_.begin(), conv_.end(), 0.0f);
  std::fill(ssm_.begin(), ssm_.end(), 0.0f);
  position = 0;
}

void Mamba2State::truncate(int n) {
  if (n >= position) return;
  throw Error("cannot truncate a Mamba2 state from " + std::to_string(position) + " to " + std::to_string(n) +
              " tokens: a recurrent state cannot forget tokens; clone the state before the tokens you may take back");
}

void Mamba2State::check_depth(int depth) const {
  if (depth < 1 || depth > blocks_)
    throw Error("Mamba2 state: depth " + std::to_string(depth) + " is outside 1.." + std::to_string(blocks_));
}

std::span<float> Mamba2State::conv(int depth) {
  check_depth(depth);
  return {conv_.data() + size_t(depth - 1) * conv_size(), conv_size()};
}

std::span<const float> Mamba2State::conv(int depth) const {
  check_depth(depth);
  return {conv_.data() + size_t(depth - 1) * conv_size(), conv_size()};
}

std::span<float> Mamba2State::ssm(int depth) {
  check_depth(depth);
  return {ssm_.data() + size_t(depth - 1) * ssm_size_, ssm_size_};
}

std::span<const float> Mamba2State::ssm(int depth) const {
  check_depth(depth);
  return {ssm_.data() + size_t(depth - 1) * ssm_size_, ssm_size_};
}

}  // namespace dynamax
