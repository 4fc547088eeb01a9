#include "core/exits/classifier_linear.h"

#include "core/exits/classifier_dense.h"

namespace dynamax {

LinearClassifier::LinearClassifier(int width) : width_(width) {
  weight_ = layout_.add("weight", {1, width});
  bias_ = layout_.add("bias", {1});
}

int64_t LinearClassifier::flops_per_token() const { return 2 * int64_t(width_) + 1; }

void LinearClassifier::init(float* params, std::mt19937_64& rng) const {
  std::normal_distribution<float> normal(0.0f, 0.02f);
  for (int i = 0; i < width_; ++i) params[weight_ + size_t(i)] = normal(rng);
  params[bias_] = 0.0f;
}

void LinearClassifier::forward(const float* p, const float* x, int T, float* logits) const {
  dense_forward(x, T, width_, 1, p + weight_, p + bias_, logits);
}

void LinearClassifier::backward(const float* p, const float* x, int T, const float* dlogits, float* g) const {
  dense_backward(x, T, width_, 1, p + weight_, dlogits, g + weight_, g + bias_, nullptr);
}

}  // namespace dynamax
