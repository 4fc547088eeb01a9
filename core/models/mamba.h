#pragma once
// MambaForCausalLM (state-spaces/mamba-*-hf) and FalconMambaForCausalLM: pre-norm blocks of the Mamba-1 mixer —
// in_proj → x | gate, causal conv + SiLU on x, x_proj → dt | B | C, dt_proj + softplus, the selective scan per
// channel, y · SiLU(gate), out_proj — on an fp32 residual stream. FalconMamba normalises dt, B and C (RMS, no
// weight) right after x_proj.
#include <memory>
#include <vector>

#include "core/models/recurrent_model.h"

namespace dynamax {

// Its state: conv rows of x [d_inner], SSM state [d_inner × state_size] per block.
class MambaModel final : public RecurrentModel {
 public:
  // Checks every tensor's presence, shape and dtype before anything runs; throws dynamax::Error naming it.
  MambaModel(ModelConfig config, SafetensorsSet weights);

 private:
  // Block weights: the four projections stay memory-mapped in their file dtype, the vectors are fp32 copies.
  struct Block {
    const TensorView* in_proj = nullptr;   // [2 d_inner × hidden]: x | gate
    const TensorView* x_proj = nullptr;    // [(rank + 2 N) × d_inner]: dt | B | C
    const TensorView* dt_proj = nullptr;   // [d_inner × rank]
    const TensorView* out_proj = nullptr;  // [hidden × d_inner]
    std::vector<float> norm;               // [hidden], the block's pre-norm
    std::vector<float> in_proj_bias;       // [2 d_inner] or empty
    std::vector<float> conv_weight;        // [K × d_inner] (transposed from [d_inner, 1, K])
    std::vector<float> conv_bias;          // [d_inner] or empty
    std::vector<float> dt_bias;            // [d_inner]
    std::vector<float> A;                  // [d_inner × N], −exp(A_log)
    std::vector<float> D;                  // [d_inner]
    std::vector<float> out_proj_bias;      // [hidden] or empty
  };
  // Per-call work buffers, grown to the largest slab seen and then reused.
  struct Scratch {
    std::vector<float> normed, projected, x, x_dbl, dt_in, dt, y;
  };

  void load_block(int index);
  void mix(int depth, const float* h_in, float* h_out, int T, RecurrentState& state) override;

  std::vector<Block> blocks_;
  Scratch scratch_;
  std::vector<float> ones_;  // the weight of FalconMamba's weightless norms
};

std::unique_ptr<Model> load_mamba(ModelConfig config, SafetensorsSet weights);

}  // namespace dynamax
