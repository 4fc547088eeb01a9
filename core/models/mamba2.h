#pragma once
// Mamba2ForCausalLM (Codestral-style): pre-norm blocks of the Mamba2 mixer — in_proj, causal conv + SiLU,
// selective scan, per-group gated RMSNorm, out_proj — on an fp32 residual stream.
#include <memory>
#include <vector>

#include "core/models/recurrent_model.h"

namespace dynamax {

// Its state: conv rows of x B C, SSM state [heads × head_dim × d_state] per block.
class Mamba2Model final : public RecurrentModel {
 public:
  // Checks every tensor's presence, shape and dtype before anything runs; throws dynamax::Error naming it.
  Mamba2Model(ModelConfig config, SafetensorsSet weights);

  // Groups of the gated RMSNorm: n_groups by default (the reference mamba_ssm behaviour); 1 normalises over all
  // channels at once, as Hugging Face's Mamba2 class does (wrong for n_groups > 1, kept for comparisons).
  void set_gate_norm_groups(int groups);
  int gate_norm_groups() const { return gate_norm_groups_; }

 private:
  // Block weights: the two projections stay memory-mapped in their file dtype, the small vectors are fp32 copies.
  struct Block {
    const TensorView* in_proj = nullptr;   // [in_proj_dim × hidden]: z | xBC | dt
    const TensorView* out_proj = nullptr;  // [hidden × d_inner]
    std::vector<float> norm;               // [hidden], the block's pre-norm
    std::vector<float> in_proj_bias;       // [in_proj_dim] or empty
    std::vector<float> conv_weight;        // [K × conv_dim] (transposed from [conv_dim, 1, K])
    std::vector<float> conv_bias;          // [conv_dim] or empty
    std::vector<float> dt_bias;            // [heads]
    std::vector<float> A;                  // [heads], −exp(A_log)
    std::vector<float> D;                  // [heads]
    std::vector<float> gate_norm;          // [d_inner]
    std::vector<float> out_proj_bias;      // [hidden] or empty
  };
  // Per-call work buffers, grown to the largest slab seen and then reused.
  struct Scratch {
    std::vector<float> normed, projected, xbc, dt, y;
  };

  void load_block(int index);
  void mix(int depth, const float* h_in, float* h_out, int T, RecurrentState& state) override;

  std::vector<Block> blocks_;
  Scratch scratch_;
  int gate_norm_groups_ = 1;
};

std::unique_ptr<Model> load_mamba2(ModelConfig config, SafetensorsSet weights);

}  // namespace dynamax
