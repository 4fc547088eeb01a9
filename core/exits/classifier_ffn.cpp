#include "core/exits/classifier_ffn.h"

#include <cmath>

#include "core/exits/classifier_dense.h"
#include "core/kernels/activations.h"

namespace dynamax {

FfnClassifier::FfnClassifier(int width, int ffn_width, Activation activation)
    : width_(width), ffn_width_(ffn_width), activation_(activation) {
  up_ = layout_.add("up.weight", {up_rows(), width});
  up_bias_ = layout_.add("up.bias", {up_rows()});
  down_ = layout_.add("down.weight", {1, ffn_width});
  down_bias_ = layout_.add("down.bias", {1});
}

int64_t FfnClassifier::flops_per_token() const {
  const int64_t up = 2 * int64_t(width_) * up_rows() + up_rows();
  // silu: exp, add, divide, multiply; gelu: about as many; SwiGLU adds the product.
  const int64_t act = activation_ == Activation::SwiGLU ? 5 * int64_t(ffn_width_) : 4 * int64_t(ffn_width_);
  return up + act + 2 * int64_t(ffn_width_) + 1;
}

void FfnClassifier::init(float* p, std::mt19937_64& rng) const {
  std::normal_distribution<float> up(0.0f, 1.0f / std::sqrt(float(width_)));
  std::normal_distribution<float> down(0.0f, 0.1f / std::sqrt(float(ffn_width_)));
  for (size_t i = 0; i < size_t(up_rows()) * width_; ++i) p[up_ + i] = up(rng);
  for (int i = 0; i < up_rows(); ++i) p[up_bias_ + size_t(i)] = 0.0f;
  for (int i = 0; i < ffn_width_; ++i) p[down_ + size_t(i)] = down(rng);
  p[down_bias_] = 0.0f;
}

void FfnClassifier::hidden_layer(const float* p, const float* x, int T, std::vector<float>& up,
                                 std::vector<float>& hidden) const {
  const int rows = up_rows(), F = ffn_width_;
  up.resize(size_t(T) * rows);
  hidden.resize(size_t(T) * F);
  dense_forward(x, T, width_, rows, p + up_, p + up_bias_, up.data());
  for (int t = 0; t < T; ++t) {
    const float* u = up.data() + size_t(t) * rows;
    float* h = hidden.data() + size_t(t) * F;
    for (int i = 0; i < F; ++i)
      h[i] = activation_ == Activation::SiLU   ? silu(u[i])
             : activation_ == Activation::GELU ? gelu(u[i])
                                               : silu(u[i]) * u[F + i];
  }
}

void FfnClassifier::forward(const float* p, const float* x, int T, float* logits) const {
  std::vector<float> up, hidden;
  hidden_layer(p, x, T, up, hidden);
  dense_forward(hidden.data(), T, ffn_width_, 1, p + down_, p + down_bias_, logits);
}

void FfnClassifier::backward(const float* p, const float* x, int T, const float* dlogits, float* g) const {
  const int rows = up_rows(), F = ffn_width_;
  std::vector<float> up, hidden;
  hidden_layer(p, x, T, up, hidden);
  std::vector<float> dhidden(size_t(T) * F), dup(size_t(T) * rows);
  dense_backward(hidden.data(), T, F, 1, p + down_, dlogits, g + down_, g + down_bias_, dhidden.data());
  for (int t = 0; t < T; ++t) {
    const float* u = up.data() + size_t(t) * rows;
    const float* dh = dhidden.data() + size_t(t) * F;
    float* du = dup.data() + size_t(t) * rows;
    for (int i = 0; i < F; ++i) {
      if (activation_ == Activation::SiLU) {
        du[i] = dh[i] * silu_derivative(u[i]);
      } else if (activation_ == Activation::GELU) {
        du[i] = dh[i] * gelu_derivative(u[i]);
      } else {
        du[i] = dh[i] * u[F + i] * silu_derivative(u[i]);
        du[F + i] = dh[i] * silu(u[i]);
      }
    }
  }
  dense_backward(x, T, width_, rows, p + up_, dup.data(), g + up_, g + up_bias_, nullptr);
}

}  // namespace dynamax
