#pragma once
// The recurrent state of a Mamba2 sequence: for every block, the last K−1 inputs of the causal conv and the SSM
// state of every head. Unlike a KV cache it does not grow with the sequence, and it cannot be rewound.
#include <memory>
#include <span>
#include <vector>

#include "core/io/model_config.h"
#include "core/models/model.h"

namespace dynamax {

class Mamba2State final : public ModelState {
 public:
  Mamba2State(int blocks, const Mamba2Config& config);

  std::unique_ptr<ModelState> clone() const override;
  void reset() override;
  // A no-op for n >= position; otherwise throws dynamax::Error: a recurrent state cannot forget tokens
  // (clone the state before the tokens you may want to take back).
  void truncate(int n) override;

  int blocks() const { return blocks_; }
  int conv_rows() const { return conv_rows_; }  // K − 1
  int conv_dim() const { return conv_dim_; }
  // Block `depth` (1..L): conv history [(K−1) × conv_dim], oldest row first (pre-conv, pre-SiLU xBC rows).
  std::span<float> conv(int depth);
  std::span<const float> conv(int depth) const;
  // Block `depth` (1..L): SSM state [heads × head_dim × d_state].
  std::span<float> ssm(int depth);
  std::span<const float> ssm(int depth) const;

 private:
  size_t conv_size() const { return size_t(conv_rows_) * conv_dim_; }
  void check_depth(int depth) const;

  int blocks_, conv_rows_, conv_dim_;
  size_t ssm_size_;
  std::vector<float> conv_;  // all blocks, block after block
  std::vector<float> ssm_;
};

}  // namespace dynamax
