#pragma once
// Schedule-free AdamW (Defazio et al., "The Road Less Scheduled", 2024), the optimiser the DYNAMAX authors trained
// their exits with (the schedulefree package's AdamWScheduleFree, default settings, no warm-up).
// Three sequences: z takes plain Adam-normalised steps, x is a weighted running average of z, and the gradient is
// evaluated at y = (1 − β1)·z + β1·x, which is what `params` holds between steps. Step t (from 0):
//   lr_t = lr·sqrt(1 − β2^(t+1)),  c = lr_max² / Σ lr_max²  (weights lr_max_t², r = 0, power 2)
//   v ← β2·v + (1 − β2)·g²;  u = g / (sqrt(v) + eps) + λ·y (λ where `decay_mask` is 1)
//   z ← z − lr_t·u;  x ← (1 − c)·x + c·z;  y = (1 − β1)·z + β1·x
// The authors never switch their optimisers to x ("eval mode") before saving, so their exits keep y; so do we.
#include <cstdint>
#include <vector>

namespace dynamax {

struct ScheduleFreeAdamWOptions {
  float lr = 2.5e-4f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f, weight_decay = 0.0f;
};

class ScheduleFreeAdamW {
 public:
  ScheduleFreeAdamW(std::vector<uint8_t> decay_mask, ScheduleFreeAdamWOptions options);
  // `params` holds y; on the first call it also initialises z = x = y.
  void step(float* params, const float* grads);

 private:
  std::vector<uint8_t> decay_;
  ScheduleFreeAdamWOptions o_;
  std::vector<float> z_, v_;
  int64_t steps_ = 0;
  double lr_max_ = 0, weight_sum_ = 0;
};

}  // namespace dynamax
