#pragma once
// AdamW (Loshchilov & Hutter): Adam with bias correction and weight decay decoupled from the gradient, on a flat
// parameter array. Decay applies where `decay_mask` is 1 (weight matrices), not to biases, norms, A_log, D.
#include <cstdint>
#include <vector>

namespace dynamax {

struct AdamWOptions {
  float lr = 3e-3f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f, weight_decay = 0.01f;
};

class AdamW {
 public:
  AdamW(std::vector<uint8_t> decay_mask, AdamWOptions options);
  void step(float* params, const float* grads);

 private:
  std::vector<uint8_t> decay_;
  AdamWOptions o_;
  std::vector<float> m_, v_;
  int64_t steps_ = 0;
};

}  // namespace dynamax
