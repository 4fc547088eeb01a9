#include "core/exits/classifier_mamba.h"

#include <cmath>

#include "core/exits/classifier_activation.h"
#include "core/exits/classifier_dense.h"
#include "core/exits/classifier_mamba_backward.h"
#include "core/kernels/activations.h"
#include "core/kernels/causal_conv.h"
#include "core/kernels/gated_group_norm.h"
#include "core/kernels/ssm_scan.h"

namespace dynamax {

static constexpr float kNormEps = 1e-5f;

MambaClassifier::MambaClassifier(int width, int inner, int heads, int state, int conv)
    : width_(width), inner_(inner), heads_(heads), state_(state), conv_(conv) {
  in_proj_ = layout_.add("in_proj.weight", {in_dim(), width});
  conv_weight_ = layout_.add("conv.weight", {conv, conv_dim()});  // [K × conv_dim], the kernel's layout
  conv_bias_ = layout_.add("conv.bias", {conv_dim()});
  dt_bias_ = layout_.add("dt_bias", {heads});
  A_log_ = layout_.add("A_log", {heads});
  D_ = layout_.add("D", {heads});
  norm_ = layout_.add("norm.weight", {inner});
  out_proj_ = layout_.add("out_proj.weight", {1, inner});
  out_bias_ = layout_.add("out_proj.bias", {1});
}

int64_t MambaClassifier::flops_per_token() const {
  const int64_t head_dim = inner_ / heads_, C = conv_dim();
  const int64_t in_proj = 2 * int64_t(width_) * in_dim();
  const int64_t conv = 2 * int64_t(conv_) * C + C + 4 * C;           // taps, bias, SiLU
  const int64_t dt = 4 * int64_t(heads_);                            // bias, softplus (exp, log1p), decay exp
  const int64_t scan = heads_ * (4 * head_dim * state_ + 2 * head_dim + 1);  // decay·S + dt·x⊗B; S·C; D·x
  const int64_t norm = 9 * int64_t(inner_) + 2;                      // silu(z)·y, mean square, scale, weight
  return in_proj + conv + dt + scan + norm + 2 * int64_t(inner_) + 1;
}

void MambaClassifier::init(float* p, std::mt19937_64& rng) const {
  std::normal_distribution<float> in(0.0f, 1.0f / std::sqrt(float(width_)));
  std::normal_distribution<float> out(0.0f, 0.1f / std::sqrt(float(inner_)));
  std::uniform_real_distribution<float> conv(-1.0f / std::sqrt(float(conv_)), 1.0f / std::sqrt(float(conv_)));
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  for (size_t i = 0; i < size_t(in_dim()) * width_; ++i) p[in_proj_ + i] = in(rng);
  for (size_t i = 0; i < size_t(conv_) * conv_dim(); ++i) p[conv_weight_ + i] = conv(rng);
  for (int i = 0; i < conv_dim(); ++i) p[conv_bias_ + size_t(i)] = 0.0f;
  for (int h = 0; h < heads_; ++h) {
    // As Mamba2 initialises: dt log-uniform in [1e-3, 1e-1] (stored as softplus⁻¹), A in [1, 16], D = 1.
    const float dt = std::exp(std::log(1e-3f) + unit(rng) * (std::log(1e-1f) - std::log(1e-3f)));
    p[dt_bias_ + size_t(h)] = dt + std::log(-std::expm1(-dt));
    p[A_log_ + size_t(h)] = std::log(1.0f + 15.0f * unit(rng));
    p[D_ + size_t(h)] = 1.0f;
  }
  for (int i = 0; i < inner_; ++i) p[norm_ + size_t(i)] = 1.0f;
  for (int i = 0; i < inner_; ++i) p[out_proj_ + size_t(i)] = out(rng);
  p[out_bias_] = 0.0f;
}

void MambaClassifier::run(const float* p, const float* x, int T, float* state, Activations& a) const {
  const int in = in_dim(), C = conv_dim();
  a.projected.resize(size_t(T) * in);
  a.xbc.resize(size_t(T) * C);
  a.dt.resize(size_t(T) * heads_);
  a.A.resize(size_t(heads_));
  a.y.resize(size_t(T) * inner_);
  a.gated.resize(size_t(T) * inner_);
  dense_forward(x, T, width_, in, p + in_proj_, nullptr, a.projected.data());
  float* history = state;
  float* scan_state = state + size_t(conv_ - 1) * C;
  causal_conv_silu(a.projected.data() + inner_, in, T, C, conv_, p + conv_weight_, p + conv_bias_, history,
                   a.xbc.data());
  for (int t = 0; t < T; ++t)
    for (int h = 0; h < heads_; ++h)
      a.dt[size_t(t) * heads_ + h] = softplus(a.projected[size_t(t) * in + inner_ + C + h] + p[dt_bias_ + size_t(h)]);
  for (int h = 0; h < heads_; ++h) a.A[size_t(h)] = -std::exp(p[A_log_ + size_t(h)]);
  ssm_scan_sequential(scan_args(p, a, T, scan_state));
  gated_group_norm(a.y.data(), a.projected.data(), in, T, inner_, 1, p + norm_, kNormEps, a.gated.data());
}

SsmScanArgs MambaClassifier::scan_args(const float* p, Activations& a, int T, float* state) const {
  SsmScanArgs scan;
  scan.T = T;
  scan.heads = heads_;
  scan.head_dim = inner_ / heads_;
  scan.groups = 1;
  scan.state_size = state_;
  scan.x = a.xbc.data();
  scan.B = a.xbc.data() + inner_;
  scan.C = a.xbc.data() + inner_ + state_;
  scan.ld_in = conv_dim();
  scan.dt = a.dt.data();
  scan.A = a.A.data();
  scan.D = p + D_;
  scan.state = state;
  scan.y = a.y.data();
  scan.ld_y = inner_;
  return scan;
}

void MambaClassifier::forward(const float* p, const float* x, int T, float* logits) const {
  std::vector<float> state(state_size(), 0.0f);
  forward_continued(p, x, T, state.data(), logits);
}

void MambaClassifier::forward_continued(const float* p, const float* x, int T, float* state, float* logits) const {
  Activations a;
  run(p, x, T, state, a);
  dense_forward(a.gated.data(), T, inner_, 1, p + out_proj_, p + out_bias_, logits);
}

void MambaClassifier::backward(const float* p, const float* x, int T, const float* dlogits, float* g) const {
  const int in = in_dim(), C = conv_dim();
  Activations a;
  std::vector<float> state(state_size(), 0.0f);
  run(p, x, T, state.data(), a);
  std::vector<float> dgated(size_t(T) * inner_), dy(size_t(T) * inner_, 0.0f);
  std::vector<float> dprojected(size_t(T) * in, 0.0f), dxbc(size_t(T) * C, 0.0f), ddt(size_t(T) * heads_, 0.0f);
  std::vector<float> dA(size_t(heads_), 0.0f);
  dense_backward(a.gated.data(), T, inner_, 1, p + out_proj_, dlogits, g + out_proj_, g + out_bias_, dgated.data());
  gated_group_norm_backward(a.y.data(), a.projected.data(), in, T, inner_, 1, p + norm_, kNormEps, dgated.data(),
                            dy.data(), dprojected.data(), in, g + norm_);

  std::vector<float> zero_state(size_t(inner_) * state_, 0.0f);
  const SsmScanArgs scan = scan_args(p, a, T, zero_state.data());
  SsmScanGradients sg{dxbc.data(), dxbc.data() + inner_, dxbc.data() + inner_ + state_, C, ddt.data(), dA.data(),
                      g + D_};
  ssm_scan_backward(scan, dy.data(), inner_, sg);
  // A = −exp(A_log): ∂A/∂A_log = A.
  for (int h = 0; h < heads_; ++h) g[A_log_ + size_t(h)] += dA[size_t(h)] * a.A[size_t(h)];
  // dt = softplus(raw + dt_bias): ∂dt/∂raw = sigmoid(raw + dt_bias).
  for (int t = 0; t < T; ++t)
    for (int h = 0; h < heads_; ++h) {
      const size_t raw = size_t(t) * in + inner_ + C + h;
      const float d = ddt[size_t(t) * heads_ + h] * sigmoid(a.projected[raw] + p[dt_bias_ + size_t(h)]);
      dprojected[raw] += d;
      g[dt_bias_ + size_t(h)] += d;
    }
  causal_conv_silu_backward(a.projected.data() + inner_, in, T, C, conv_, p + conv_weight_, p + conv_bias_,
                            dxbc.data(), dprojected.data() + inner_, in, g + conv_weight_, g + conv_bias_);
  dense_backward(x, T, width_, in, p + in_proj_, dprojected.data(), g + in_proj_, nullptr, nullptr);
}

}  // namespace dynamax
