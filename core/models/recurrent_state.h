#pragma once
// The recurrent state of a state-space sequence (Mamba-1, FalconMamba, Mamba2): for every block, the last K−1
// inputs of the causal conv and the SSM state. Unlike a KV cache it does not grow with the sequence, and it cannot
// be rewound.
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "core/models/model.h"

namespace dynamax {

class RecurrentState final : public ModelState {
 public:
  // `conv_rows` = K − 1 rows of `conv_dim` floats and `ssm_size` floats of SSM state per block.
  RecurrentState(int blocks, int conv_rows, int conv_dim, size_t ssm_size);

  std::unique_ptr<ModelState> clone() const override;
  void reset() override;
  // A no-op for n >= position; otherwise throws dynamax::Error: a recurrent state cannot forget tokens
  // (clone the state before the tokens you may want to take back).
  void truncate(int n) override;

  int blocks() const { return blocks_; }
  int conv_rows() const { return conv_rows_; }  // K − 1
  int conv_dim() const { return conv_dim_; }
  size_t ssm_size() const { return ssm_size_; }
  // Block `depth` (1..L): conv history [(K−1) × conv_dim], oldest row first (the conv's inputs, before SiLU).
  std::span<float> conv(int depth);
  std::span<const float> conv(int depth) const;
  // Block `depth` (1..L): SSM state, laid out by the model ([heads × head_dim × d_state] for Mamba2,
  // [d_inner × d_state] for Mamba-1).
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
