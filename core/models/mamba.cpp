#include "core/models/mamba.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "core/common/error.h"
#include "core/kernels/activations.h"
#include "core/kernels/add_bias.h"
#include "core/kernels/causal_conv.h"
#include "core/kernels/matmul.h"
#include "core/kernels/rmsnorm.h"
#include "core/kernels/selective_scan.h"

namespace dynamax {

// ----------------------------------------------------------------------------- loading

MambaModel::MambaModel(ModelConfig config, SafetensorsSet weights)
    : RecurrentModel(config, std::move(weights), config.mamba1.conv_kernel - 1, config.mamba1.d_inner,
                     size_t(config.mamba1.d_inner) * size_t(config.mamba1.state_size)) {
  if (config_.arch != Architecture::Mamba && config_.arch != Architecture::FalconMamba)
    throw Error(std::string("the Mamba engine cannot run ") + architecture_name(config_.arch));
  bind_shared_tensors("backbone.embeddings.weight", "backbone.norm_f.weight");
  blocks_.resize(size_t(config_.num_layers));
  for (int i = 0; i < config_.num_layers; ++i) load_block(i);
  const Mamba1Config& m = config_.mamba1;
  if (m.mixer_norms) ones_.assign(size_t(std::max(m.time_step_rank, m.state_size)), 1.0f);
}

void MambaModel::load_block(int index) {
  const Mamba1Config& m = config_.mamba1;
  const int64_t hidden = config_.hidden_size, inner = m.d_inner, K = m.conv_kernel, N = m.state_size;
  const std::string prefix = "backbone.layers." + std::to_string(index) + ".";
  auto matrix = [&](const std::string& name, std::vector<int64_t> shape) {
    return &require_weight(prefix + name, shape);
  };
  auto vector = [&](const std::string& name, std::vector<int64_t> shape) { return f32_weight(prefix + name, shape); };
  Block& b = blocks_[size_t(index)];
  b.norm = vector("norm.weight", {hidden});
  b.in_proj = matrix("mixer.in_proj.weight", {2 * inner, hidden});
  if (m.use_bias) b.in_proj_bias = vector("mixer.in_proj.bias", {2 * inner});
  const std::vector<float> conv = vector("mixer.conv1d.weight", {inner, 1, K});
  b.conv_weight.resize(conv.size());
  for (int64_t c = 0; c < inner; ++c)
    for (int64_t k = 0; k < K; ++k) b.conv_weight[size_t(k * inner + c)] = conv[size_t(c * K + k)];
  if (m.use_conv_bias) b.conv_bias = vector("mixer.conv1d.bias", {inner});
  b.x_proj = matrix("mixer.x_proj.weight", {m.x_proj_dim(), inner});
  b.dt_proj = matrix("mixer.dt_proj.weight", {inner, m.time_step_rank});
  b.dt_bias = vector("mixer.dt_proj.bias", {inner});
  b.A = vector("mixer.A_log", {inner, N});
  for (float& a : b.A) a = -std::exp(a);
  b.D = vector("mixer.D", {inner});
  b.out_proj = matrix("mixer.out_proj.weight", {hidden, inner});
  if (m.use_bias) b.out_proj_bias = vector("mixer.out_proj.bias", {hidden});
}

std::unique_ptr<Model> load_mamba(ModelConfig config, SafetensorsSet weights) {
  return std::make_unique<MambaModel>(std::move(config), std::move(weights));
}

// ----------------------------------------------------------------------------- running

void MambaModel::mix(int depth, const float* h_in, float* h_out, int T, RecurrentState& state) {
  const Block& b = blocks_[size_t(depth - 1)];
  const Mamba1Config& m = config_.mamba1;
  const int hidden = config_.hidden_size, inner = m.d_inner, rank = m.time_step_rank, N = m.state_size;
  const int xdim = m.x_proj_dim();
  const bool output = h_out != nullptr;

  float* normed = grow(scratch_.normed, size_t(T) * hidden);
  float* projected = grow(scratch_.projected, size_t(T) * 2 * inner);  // rows: x | gate
  float* x = grow(scratch_.x, size_t(T) * inner);
  float* x_dbl = grow(scratch_.x_dbl, size_t(T) * xdim);  // rows: dt | B | C
  float* dt_in = grow(scratch_.dt_in, size_t(T) * rank);
  float* dt = grow(scratch_.dt, size_t(T) * inner);
  float* y = output ? grow(scratch_.y, size_t(T) * inner) : nullptr;

  rmsnorm(h_in, b.norm.data(), T, hidden, float(config_.norm_eps), normed);
  // The gate (the second d_inner outputs) is only needed for the block's output.
  const int width = output ? 2 * inner : inner;
  matmul_rows(*b.in_proj, 0, width, normed, T, projected, 2 * inner, false, precision_);
  add_bias(projected, T, 2 * inner, b.in_proj_bias, 0, width);

  causal_conv_silu(projected, 2 * inner, T, inner, m.conv_kernel, b.conv_weight.data(),
                   b.conv_bias.empty() ? nullptr : b.conv_bias.data(), state.conv(depth).data(), x);

  matmul(*b.x_proj, x, T, x_dbl, false, precision_);
  if (m.mixer_norms) {
    const float eps = float(m.mixer_rms_eps);
    for (int t = 0; t < T; ++t) {
      float* row = x_dbl + int64_t(t) * xdim;
      rmsnorm(row, ones_.data(), 1, rank, eps, row);              // dt
      rmsnorm(row + rank, ones_.data(), 1, N, eps, row + rank);  // B
      rmsnorm(row + rank + N, ones_.data(), 1, N, eps, row + rank + N);  // C
    }
  }
  for (int t = 0; t < T; ++t)
    std::memcpy(dt_in + int64_t(t) * rank, x_dbl + int64_t(t) * xdim, size_t(rank) * sizeof(float));
  matmul(*b.dt_proj, dt_in, T, dt, false, precision_);
  for (int t = 0; t < T; ++t) {
    float* row = dt + int64_t(t) * inner;
    for (int c = 0; c < inner; ++c) row[c] = softplus(row[c] + b.dt_bias[size_t(c)]);
  }

  SelectiveScanArgs scan;
  scan.T = T;
  scan.channels = inner;
  scan.state_size = N;
  scan.x = x;
  scan.ld_x = inner;
  scan.dt = dt;
  scan.B = x_dbl + rank;
  scan.C = x_dbl + rank + N;
  scan.ld_bc = xdim;
  scan.A = b.A.data();
  scan.D = b.D.data();
  scan.state = state.ssm(depth).data();
  scan.y = y;
  scan.ld_y = inner;
  selective_scan(scan);
  if (!output) return;

  for (int t = 0; t < T; ++t)  // y · SiLU(gate)
    silu_mul(projected + int64_t(t) * 2 * inner + inner, y + int64_t(t) * inner, y + int64_t(t) * inner, inner);
  matmul(*b.out_proj, y, T, h_out, /*accumulate=*/true, precision_);  // the residual: h += out_proj(y), in fp32
  add_bias(h_out, T, b.out_proj_bias);
}

}  // namespace dynamax
