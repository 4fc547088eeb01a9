#pragma once
// The FFN exit classifier, shaped like a transformer MLP: up-projection of h_d to `ffn_width`, SiLU or GELU (or
// SwiGLU: silu(gate) · up from two up-projections), and a down-projection to the exit logit.
#include "core/exits/classifier_net.h"

namespace dynamax {

class FfnClassifier final : public ClassifierNet {
 public:
  FfnClassifier(int width, int ffn_width, Activation activation);
  int64_t flops_per_token() const override;
  void init(float* params, std::mt19937_64& rng) const override;
  size_t output_bias() const override { return down_bias_; }
  void forward(const float* params, const float* x, int T, float* logits) const override;
  void backward(const float* params, const float* x, int T, const float* dlogits, float* grads) const override;

 private:
  // up[T × up_rows] = the up-projection before the activation; hidden[T × F] after it.
  void hidden_layer(const float* p, const float* x, int T, std::vector<float>& up, std::vector<float>& hidden) const;
  int up_rows() const { return activation_ == Activation::SwiGLU ? 2 * ffn_width_ : ffn_width_; }

  int width_, ffn_width_;
  Activation activation_;
  size_t up_, up_bias_, down_, down_bias_;  // up rows: [gate | up] for SwiGLU
};

}  // namespace dynamax
