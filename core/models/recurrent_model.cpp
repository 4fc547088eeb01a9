#include "core/models/recurrent_model.h"

#include <algorithm>

#include "core/common/error.h"
#include "core/kernels/convert.h"

namespace dynamax {

RecurrentModel::RecurrentModel(ModelConfig config, SafetensorsSet weights, int conv_rows, int conv_dim,
                               size_t ssm_size)
    : Model(std::move(config), std::move(weights)), conv_rows_(conv_rows), conv_dim_(conv_dim), ssm_size_(ssm_size) {}

std::unique_ptr<ModelState> RecurrentModel::new_state() const {
  return std::make_unique<RecurrentState>(depth(), conv_rows_, conv_dim_, ssm_size_);
}

const TensorView& RecurrentModel::require_weight(const std::string& name, const std::vector<int64_t>& shape) const {
  const TensorView& t = weights_.require(name, shape);
  if (t.dtype != DType::BF16 && t.dtype != DType::F16 && t.dtype != DType::F32)
    throw Error("tensor '" + name + "' has dtype " + dtype_name(t.dtype) + "; weights must be BF16, F16 or F32");
  return t;
}

std::vector<float> RecurrentModel::f32_weight(const std::string& name, const std::vector<int64_t>& shape) const {
  const TensorView& t = require_weight(name, shape);
  std::vector<float> v(size_t(t.numel()));
  to_f32(t.dtype, t.data, v.data(), v.size());
  return v;
}

float* RecurrentModel::grow(std::vector<float>& buffer, size_t n) {
  if (buffer.size() < n) buffer.resize(n);
  return buffer.data();
}

RecurrentState& RecurrentModel::checked_state(ModelState& state, int depth, int T) const {
  const std::string arch = architecture_name(config_.arch);
  auto* s = dynamic_cast<RecurrentState*>(&state);
  if (!s || s->blocks() != config_.num_layers || s->conv_dim() != conv_dim_ || s->conv_rows() != conv_rows_ ||
      s->ssm_size() != ssm_size_)
    throw Error(arch + ": the state was not made by this model's new_state()");
  if (depth < 1 || depth > config_.num_layers)
    throw Error(arch + ": block depth " + std::to_string(depth) + " is outside 1.." +
                std::to_string(config_.num_layers));
  if (T < 0) throw Error(arch + ": negative token count");
  return *s;
}

void RecurrentModel::run_block(int depth, float* h, int T, int, ModelState& state) {
  RecurrentState& s = checked_state(state, depth, T);
  const int64_t hidden = config_.hidden_size;
  for (int t0 = 0; t0 < T; t0 += kSlabTokens) {
    float* rows = h + t0 * hidden;
    mix(depth, rows, rows, std::min(kSlabTokens, T - t0), s);
  }
}

void RecurrentModel::advance_block_state(int depth, const float* h, int T, ModelState& state) {
  RecurrentState& s = checked_state(state, depth, T);
  const int64_t hidden = config_.hidden_size;
  for (int t0 = 0; t0 < T; t0 += kSlabTokens) mix(depth, h + t0 * hidden, nullptr, std::min(kSlabTokens, T - t0), s);
}

}  // namespace dynamax
