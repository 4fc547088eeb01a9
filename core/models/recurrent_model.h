#pragma once
// What the state-space families (Mamba-1, FalconMamba, Mamba2) share for stepping and early exits: a recurrent
// state of fixed size per block, blocks run in slabs of rows that carry the sequence through that state, and the
// partial forward of a skipped block (the `update` state strategy).
#include <memory>
#include <string>
#include <vector>

#include "core/models/model.h"
#include "core/models/recurrent_state.h"

namespace dynamax {

class RecurrentModel : public Model {
 public:
  std::unique_ptr<ModelState> new_state() const override;
  // Any T: the sequence path for T > 1, the decode path for T = 1; both continue `state` (a RecurrentState made by
  // this model). Positions are implicit in the recurrent state, so pos0 is not used.
  void run_block(int depth, float* h, int T, int pos0, ModelState& state) override;
  // The partial forward of a skipped block: advances block `depth`'s conv and SSM states over T rows of the
  // residual stream `h` (e.g. an exit state) without computing the block's output; h is not changed.
  void advance_block_state(int depth, const float* h, int T, ModelState& state);

 protected:
  // Rows of the residual stream a mixer takes at once. The recurrent state carries the sequence from slab to slab,
  // so this only bounds the scratch whatever the prompt length.
  static constexpr int kSlabTokens = 512;

  // The per-block state: `conv_rows` (K − 1) rows of `conv_dim` floats and `ssm_size` floats.
  RecurrentModel(ModelConfig config, SafetensorsSet weights, int conv_rows, int conv_dim, size_t ssm_size);
  // The mixer of block `depth` on T ≤ kSlabTokens rows with its residual add; with `h_out` null only the block's
  // states advance.
  virtual void mix(int depth, const float* h_in, float* h_out, int T, RecurrentState& state) = 0;

  // A block tensor checked for presence, shape and dtype (BF16, F16 or F32); dynamax::Error names it.
  const TensorView& require_weight(const std::string& name, const std::vector<int64_t>& shape) const;
  // The same, copied to fp32 (the small vectors a mixer reads many times).
  std::vector<float> f32_weight(const std::string& name, const std::vector<int64_t>& shape) const;
  // A work buffer grown to at least n floats and then reused.
  static float* grow(std::vector<float>& buffer, size_t n);

 private:
  RecurrentState& checked_state(ModelState& state, int depth, int T) const;

  int conv_rows_, conv_dim_;
  size_t ssm_size_;
};

}  // namespace dynamax
