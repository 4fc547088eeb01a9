#pragma once
// The Mamba exit classifier (DYNAMAX): a small Mamba2 block over the token sequence whose output projection gives
// the exit logit. in_proj of h_d to z | xBC | dt; depthwise causal conv + SiLU on xBC; dt = softplus(dt + dt_bias);
// the selective scan with its own state (A = −exp(A_log), D skip; one B/C group); the gated RMSNorm of y·silu(z);
// out_proj to one logit. The forward runs the engine's kernels (causal_conv_silu, ssm_scan_sequential,
// gated_group_norm); the backward is classifier_mamba_backward.h.
#include "core/exits/classifier_net.h"
#include "core/kernels/ssm_scan.h"

namespace dynamax {

class MambaClassifier final : public ClassifierNet {
 public:
  MambaClassifier(int width, int inner, int heads, int state, int conv);
  int64_t flops_per_token() const override;
  void init(float* params, std::mt19937_64& rng) const override;
  size_t output_bias() const override { return out_bias_; }
  void forward(const float* params, const float* x, int T, float* logits) const override;
  // The conv's last K−1 inputs, then the scan's state.
  size_t state_size() const override { return size_t(conv_ - 1) * conv_dim() + size_t(inner_) * state_; }
  void forward_continued(const float* params, const float* x, int T, float* state, float* logits) const override;
  void backward(const float* params, const float* x, int T, const float* dlogits, float* grads) const override;

 private:
  // The block's intermediate values for one sequence.
  struct Activations {
    std::vector<float> projected;  // [T × in_dim]: z | xBC | dt (raw)
    std::vector<float> xbc;        // [T × conv_dim], after conv + SiLU
    std::vector<float> dt, A;      // [T × heads] after softplus; [heads]
    std::vector<float> y;          // [T × inner], the scan's output
    std::vector<float> gated;      // [T × inner], after the gated norm
  };
  // `state` as in forward_continued: read at the start, left after the last row.
  void run(const float* p, const float* x, int T, float* state, Activations& a) const;
  // The scan over the activations of `run`, from `state` (zero at the start of a sequence); the forward sets y.
  SsmScanArgs scan_args(const float* p, Activations& a, int T, float* state) const;
  int conv_dim() const { return inner_ + 2 * state_; }
  int in_dim() const { return 2 * inner_ + 2 * state_ + heads_; }

  int width_, inner_, heads_, state_, conv_;
  size_t in_proj_, conv_weight_, conv_bias_, dt_bias_, A_log_, D_, norm_, out_proj_, out_bias_;
};

}  // namespace dynamax
