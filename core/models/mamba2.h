#pragma once
// Mamba2ForCausalLM (Codestral-style): pre-norm blocks of the Mamba2 mixer — in_proj, causal conv + SiLU,
// selective scan, per-group gated RMSNorm, out_proj — on an fp32 residual stream.
#include <memory>
#include <vector>

#include "core/models/mamba2_state.h"
#include "core/models/model.h"

namespace dynamax {

class Mamba2Model final : public Model {
 public:
  // Checks every tensor's presence, shape and dtype before anything runs; throws dynamax::Error naming it.
  Mamba2Model(ModelConfig config, SafetensorsSet weights);

  std::unique_ptr<ModelState> new_state() const override;
  // Any T: the sequence path for T > 1, the decode path for T = 1; both continue `state` (a Mamba2State).
  // Positions are implicit in the recurrent state, so pos0 is not used.
  void run_block(int depth, float* h, int T, int pos0, ModelState& state) override;

  // The partial forward of a skipped block: advances block `depth`'s conv and SSM states over T rows of the
  // residual stream `h` (e.g. an exit state) without computing the block's output; h is not changed.
  void advance_block_state(int depth, const float* h, int T, ModelState& state);

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
  Mamba2State& checked_state(ModelState& state, int depth) const;
  // The mixer on up to kSlabTokens rows; with `h_out` null only the block's states advance.
  void mix(int depth, const float* h_in, float* h_out, int T, Mamba2State& state);

  std::vector<Block> blocks_;
  Scratch scratch_;
  int gate_norm_groups_ = 1;
};

std::unique_ptr<Model> load_mamba2(ModelConfig config, SafetensorsSet weights);

}  // namespace dynamax
