#pragma once
// The CALM-style exit classifier: one linear layer from h_d to the exit logit.
#include "core/exits/classifier_net.h"

namespace dynamax {

class LinearClassifier final : public ClassifierNet {
 public:
  explicit LinearClassifier(int width);
  int64_t flops_per_token() const override;
  void init(float* params, std::mt19937_64& rng) const override;
  size_t output_bias() const override { return bias_; }
  void forward(const float* params, const float* x, int T, float* logits) const override;
  void backward(const float* params, const float* x, int T, const float* dlogits, float* grads) const override;

 private:
  int width_;
  size_t weight_, bias_;
};

}  // namespace dynamax
