#include "core/models/transformer.h"

#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/kernels/activations.h"
#include "core/kernels/add_bias.h"
#include "core/kernels/attention.h"
#include "core/kernels/convert.h"
#include "core/kernels/matmul.h"
#include "core/kernels/rmsnorm.h"
#include "core/kernels/rope.h"
#include "core/models/kv_cache.h"

namespace dynamax {

namespace {

// Rows of the residual stream run through a block at once: bounds the activations (and attention scores) of a
// long prompt, while keeping sgemm's M large enough to run at speed.
constexpr int kRowsPerPass = 512;

// One block's weights: views into the mapped files, plus the norm and bias vectors converted to fp32 once (a bias
// the architecture does not have stays empty).
struct BlockWeights {
  const TensorView *q, *k, *v, *o, *gate, *up, *down;
  std::vector<float> attn_norm, mlp_norm;
  std::vector<float> q_bias, k_bias, v_bias, o_bias, gate_bias, up_bias, down_bias;
  AttentionShape shape;  // the block's window: Qwen2 slides in some layers only
};

// Activations of one pass, kept between calls: once warm, a step allocates nothing.
struct Workspace {
  std::vector<float> x, q, attn, gate, up, cos, sin, scores;
};

float* at_least(std::vector<float>& buffer, size_t n) {
  if (buffer.size() < n) buffer.resize(n);
  return buffer.data();
}

std::vector<float> f32_vector(const TensorView& t) {
  std::vector<float> out(size_t(t.numel()));
  to_f32(t.dtype, t.data, out.data(), out.size());
  return out;
}

// RoPE frequencies with the config's scaling, as transformers' ROPE_INIT_FUNCTIONS compute them.
std::vector<float> inv_freq_of(const TransformerConfig& tc) {
  std::vector<float> inv = rope_inv_freq(tc.head_dim, tc.rope_theta);
  const RopeScaling& r = tc.rope_scaling;
  switch (r.type) {
    case RopeType::Default: break;
    case RopeType::Linear: rope_scale_linear(inv, r.factor); break;
    case RopeType::Llama3:
      rope_scale_llama3(inv, r.factor, r.low_freq_factor, r.high_freq_factor, r.original_max_position_embeddings);
      break;
  }
  return inv;
}

class Transformer final : public Model {
 public:
  Transformer(ModelConfig config, SafetensorsSet weights);

  std::unique_ptr<ModelState> new_state() const override {
    return std::make_unique<KvCache>(depth(), kv_width());
  }
  void run_block(int depth, float* h, int T, int pos0, ModelState& state) override;
  void append_kv(int depth, const float* h, int T, int pos0, ModelState& state);

 private:
  KvCache& checked_cache(ModelState& state) const;
  int kv_width() const { return shape_.num_kv_heads * shape_.head_dim; }
  int q_width() const { return shape_.num_heads * shape_.head_dim; }
  const TensorView& require_weight(const std::string& name, std::vector<int64_t> shape) const;
  void block_pass(const BlockWeights& w, float* h, int T, int pos0, BlockKv& kv);
  void project_kv(const BlockWeights& w, const float* x, int T, int pos0, BlockKv& kv, const float* cos, const float* sin);
  std::vector<float> optional_bias(const std::string& name, bool present, int64_t size) const;

  AttentionShape shape_;  // heads and head_dim; each block's window is in its BlockWeights
  std::vector<float> inv_freq_;
  std::vector<BlockWeights> blocks_;
  Workspace ws_;
};

const TensorView& Transformer::require_weight(const std::string& name, std::vector<int64_t> shape) const {
  const TensorView& t = weights_.require(name, shape);
  if (t.dtype != DType::BF16 && t.dtype != DType::F16 && t.dtype != DType::F32)
    throw Error("tensor '" + name + "' has dtype " + dtype_name(t.dtype) + "; weights must be BF16, F16 or F32");
  return t;
}

std::vector<float> Transformer::optional_bias(const std::string& name, bool present, int64_t size) const {
  return present ? f32_vector(require_weight(name, {size})) : std::vector<float>();
}

Transformer::Transformer(ModelConfig config, SafetensorsSet weights) : Model(std::move(config), std::move(weights)) {
  const TransformerConfig& tc = config_.transformer;
  shape_ = {tc.num_heads, tc.num_kv_heads, tc.head_dim, 0};
  inv_freq_ = inv_freq_of(tc);
  bind_shared_tensors("model.embed_tokens.weight", "model.norm.weight");
  const int64_t H = config_.hidden_size, I = tc.intermediate_size, Q = q_width(), KV = kv_width();
  blocks_.reserve(size_t(config_.num_layers));
  for (int l = 0; l < config_.num_layers; ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    BlockWeights b;
    b.q = &require_weight(p + "self_attn.q_proj.weight", {Q, H});
    b.k = &require_weight(p + "self_attn.k_proj.weight", {KV, H});
    b.v = &require_weight(p + "self_attn.v_proj.weight", {KV, H});
    b.o = &require_weight(p + "self_attn.o_proj.weight", {H, Q});
    b.gate = &require_weight(p + "mlp.gate_proj.weight", {I, H});
    b.up = &require_weight(p + "mlp.up_proj.weight", {I, H});
    b.down = &require_weight(p + "mlp.down_proj.weight", {H, I});
    b.attn_norm = f32_vector(require_weight(p + "input_layernorm.weight", {H}));
    b.mlp_norm = f32_vector(require_weight(p + "post_attention_layernorm.weight", {H}));
    b.q_bias = optional_bias(p + "self_attn.q_proj.bias", tc.qkv_bias, Q);
    b.k_bias = optional_bias(p + "self_attn.k_proj.bias", tc.qkv_bias, KV);
    b.v_bias = optional_bias(p + "self_attn.v_proj.bias", tc.qkv_bias, KV);
    b.o_bias = optional_bias(p + "self_attn.o_proj.bias", tc.o_bias, H);
    b.gate_bias = optional_bias(p + "mlp.gate_proj.bias", tc.mlp_bias, I);
    b.up_bias = optional_bias(p + "mlp.up_proj.bias", tc.mlp_bias, I);
    b.down_bias = optional_bias(p + "mlp.down_proj.bias", tc.mlp_bias, H);
    b.shape = shape_;
    b.shape.window = tc.window(l);
    blocks_.push_back(std::move(b));
  }
}

void Transformer::run_block(int depth, float* h, int T, int pos0, ModelState& state) {
  if (depth < 1 || depth > this->depth())
    throw Error("run_block: depth " + std::to_string(depth) + " is outside 1.." + std::to_string(this->depth()));
  if (T < 1) throw Error("run_block: no tokens (T = " + std::to_string(T) + ")");
  const int max_pos = config_.transformer.max_position_embeddings;
  if (pos0 < 0 || int64_t(pos0) + T > max_pos)
    throw Error("run_block: positions " + std::to_string(pos0) + ".." + std::to_string(int64_t(pos0) + T - 1) +
                " exceed max_position_embeddings (" + std::to_string(max_pos) + ")");
  BlockKv& kv = checked_cache(state).block(depth);
  if (pos0 <= kv.last_position())
    throw Error("run_block: block " + std::to_string(depth) + " already holds position " +
                std::to_string(kv.last_position()) + "; truncate the state before running position " +
                std::to_string(pos0) + " again");
  for (int t0 = 0; t0 < T; t0 += kRowsPerPass)
    block_pass(blocks_[size_t(depth - 1)], h + int64_t(t0) * hidden_size(), std::min(kRowsPerPass, T - t0), pos0 + t0,
               kv);
}

KvCache& Transformer::checked_cache(ModelState& state) const {
  auto* cache = dynamic_cast<KvCache*>(&state);
  if (!cache || cache->depth() != this->depth() || cache->block(1).width() != kv_width())
    throw Error("transformer: the state was not made by this transformer's new_state()");
  return *cache;
}

void Transformer::append_kv(int depth, const float* h, int T, int pos0, ModelState& state) {
  if (depth < 1 || depth > this->depth())
    throw Error("append_block_kv: depth " + std::to_string(depth) + " is outside 1.." + std::to_string(this->depth()));
  BlockKv& kv = checked_cache(state).block(depth);
  const int hd = shape_.head_dim;
  float* x = at_least(ws_.x, size_t(T) * hidden_size());
  float* cos = at_least(ws_.cos, size_t(T) * hd / 2);
  float* sin = at_least(ws_.sin, size_t(T) * hd / 2);
  const BlockWeights& w = blocks_[size_t(depth - 1)];
  rmsnorm(h, w.attn_norm.data(), T, hidden_size(), float(config_.norm_eps), x);
  rope_cos_sin(inv_freq_.data(), hd, pos0, T, cos, sin);
  project_kv(w, x, T, pos0, kv, cos, sin);
}

// Appends the entries of positions pos0.. to `kv`: keys (biased, then rotated) and values of the normed rows x.
void Transformer::project_kv(const BlockWeights& w, const float* x, int T, int pos0, BlockKv& kv, const float* cos,
                             const float* sin) {
  const int e = kv.append(pos0, T);
  matmul(*w.k, x, T, kv.key_row(e), false, precision_);
  add_bias(kv.key_row(e), T, w.k_bias);
  matmul(*w.v, x, T, kv.value_row(e), false, precision_);
  add_bias(kv.value_row(e), T, w.v_bias);
  rope_rotate(kv.key_row(e), T, kv_width(), shape_.num_kv_heads, shape_.head_dim, cos, sin);
}

// h ← h + attention(norm(h)); h ← h + mlp(norm(h)), for T rows at positions pos0.., appending their K/V to `kv`.
void Transformer::block_pass(const BlockWeights& w, float* h, int T, int pos0, BlockKv& kv) {
  const int H = hidden_size(), I = config_.transformer.intermediate_size, hd = shape_.head_dim;
  const float eps = float(config_.norm_eps);
  float* x = at_least(ws_.x, size_t(T) * H);
  float* q = at_least(ws_.q, size_t(T) * q_width());
  float* attn = at_least(ws_.attn, size_t(T) * q_width());
  float* cos = at_least(ws_.cos, size_t(T) * hd / 2);
  float* sin = at_least(ws_.sin, size_t(T) * hd / 2);

  // Attention: K (after RoPE) and V go straight into the cache rows of the new entries.
  rmsnorm(h, w.attn_norm.data(), T, H, eps, x);
  rope_cos_sin(inv_freq_.data(), hd, pos0, T, cos, sin);
  matmul(*w.q, x, T, q, false, precision_);
  add_bias(q, T, w.q_bias);
  rope_rotate(q, T, q_width(), shape_.num_heads, hd, cos, sin);
  project_kv(w, x, T, pos0, kv, cos, sin);
  attention(w.shape, q, T, pos0, kv.keys(), kv.values(), kv.positions(), kv.size(), attn, ws_.scores);
  matmul(*w.o, attn, T, h, /*accumulate=*/true, precision_);  // the residual add, fused into the product
  add_bias(h, T, w.o_bias);  // after the residual add: the same sum up to fp32 rounding order

  // SwiGLU MLP: down(silu(gate(x)) · up(x)).
  float* gate = at_least(ws_.gate, size_t(T) * I);
  float* up = at_least(ws_.up, size_t(T) * I);
  rmsnorm(h, w.mlp_norm.data(), T, H, eps, x);
  matmul(*w.gate, x, T, gate, false, precision_);
  add_bias(gate, T, w.gate_bias);
  matmul(*w.up, x, T, up, false, precision_);
  add_bias(up, T, w.up_bias);
  silu_mul(gate, up, gate, int64_t(T) * I);
  matmul(*w.down, gate, T, h, /*accumulate=*/true, precision_);
  add_bias(h, T, w.down_bias);
}

}  // namespace

void append_block_kv(Model& transformer, int depth, const float* h, int T, int pos0, ModelState& state) {
  auto* t = dynamic_cast<Transformer*>(&transformer);
  if (!t) throw Error(std::string("append_block_kv: ") + architecture_name(transformer.config().arch) + " is not a transformer");
  t->append_kv(depth, h, T, pos0, state);
}

std::unique_ptr<Model> load_transformer(ModelConfig config, SafetensorsSet weights) {
  if (!config.is_transformer())
    throw Error(std::string("load_transformer: ") + architecture_name(config.arch) + " is not a transformer");
  return std::make_unique<Transformer>(std::move(config), std::move(weights));
}

}  // namespace dynamax
