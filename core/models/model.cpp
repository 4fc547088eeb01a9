#include "core/models/model.h"

#include <cmath>

#include "core/common/error.h"
#include "core/kernels/convert.h"
#include "core/kernels/matmul.h"
#include "core/kernels/rmsnorm.h"
#include "core/models/mamba.h"
#include "core/models/mamba2.h"
#include "core/models/transformer.h"

namespace dynamax {

Model::Model(ModelConfig config, SafetensorsSet weights) : config_(std::move(config)), weights_(std::move(weights)) {}

void Model::bind_shared_tensors(const std::string& embed_name, const std::string& norm_name) {
  const int64_t v = config_.vocab_size, h = config_.hidden_size;
  embed_tokens_ = &weights_.require(embed_name, {v, h});
  final_norm_weight_ = &weights_.require(norm_name, {h});
  const TensorView* head = weights_.find("lm_head.weight");
  if (config_.tie_word_embeddings || !head) {
    if (!config_.tie_word_embeddings)
      throw Error("missing tensor 'lm_head.weight' (the config says tie_word_embeddings is false)");
    lm_head_ = embed_tokens_;
  } else {
    lm_head_ = &weights_.require("lm_head.weight", {v, h});
  }
  for (const TensorView* t : {embed_tokens_, final_norm_weight_, lm_head_})
    if (t->dtype != DType::BF16 && t->dtype != DType::F16 && t->dtype != DType::F32)
      throw Error("tensor '" + t->name + "' has dtype " + dtype_name(t->dtype) + "; weights must be BF16, F16 or F32");
  final_norm_f32_.resize(size_t(h));
  to_f32(final_norm_weight_->dtype, final_norm_weight_->data, final_norm_f32_.data(), size_t(h));
}

void Model::embed(std::span<const int32_t> ids, float* h) const {
  const int64_t width = config_.hidden_size;
  const size_t row_bytes = size_t(width) * dtype_size(embed_tokens_->dtype);
  for (size_t t = 0; t < ids.size(); ++t) {
    if (ids[t] < 0 || ids[t] >= config_.vocab_size)
      throw Error("token id " + std::to_string(ids[t]) + " at position " + std::to_string(t) +
                  " is outside the vocabulary (0.." + std::to_string(config_.vocab_size - 1) + ")");
    to_f32(embed_tokens_->dtype, embed_tokens_->data + size_t(ids[t]) * row_bytes, h + t * width, size_t(width));
  }
}

void Model::final_norm(const float* h, int T, float* out) const {
  rmsnorm(h, final_norm_f32_.data(), T, config_.hidden_size, float(config_.norm_eps), out);
}

// A NaN or infinite logit would turn every log-prob, measure and metric after it into NaN without a word; it only
// comes from broken weights (or activations they blew up), so it stops the work, naming where it appeared.
static void check_finite_logits(const float* logits, int T, int64_t vocab) {
  for (int t = 0; t < T; ++t)
    for (int64_t v = 0; v < vocab; ++v)
      if (!std::isfinite(logits[t * vocab + v]))
        throw Error("the exit head (final norm + lm_head) gave a non-finite logit (" +
                    std::string(std::isnan(logits[t * vocab + v]) ? "NaN" : "infinity") + ") for token id " +
                    std::to_string(v) + " at position " + std::to_string(t) +
                    ": the model's weights hold NaN or infinity, or produce values too large for fp32");
}

void Model::exit_head(const float* h, int T, float* logits) const {
  std::vector<float> normed(size_t(T) * config_.hidden_size);
  final_norm(h, T, normed.data());
  matmul(*lm_head_, normed.data(), T, logits, false, precision_);
  check_finite_logits(logits, T, config_.vocab_size);
}

std::unique_ptr<Model> load_model(const std::filesystem::path& folder) {
  ModelConfig config = load_model_config(folder);
  SafetensorsSet weights = SafetensorsSet::open_folder(folder);
  if (config.is_transformer()) return load_transformer(std::move(config), std::move(weights));
  if (config.arch == Architecture::Mamba2) return load_mamba2(std::move(config), std::move(weights));
  return load_mamba(std::move(config), std::move(weights));
}

std::vector<float> forward(Model& model, std::span<const int32_t> ids, ModelState& state, int up_to_depth,
                           const ForwardHooks& hooks) {
  if (ids.empty()) throw Error("forward: empty token sequence");
  const int T = int(ids.size()), L = model.depth();
  const int last = up_to_depth <= 0 ? L : std::min(up_to_depth, L);
  std::vector<float> h(size_t(T) * model.hidden_size());
  model.embed(ids, h.data());
  for (int d = 1; d <= last; ++d) {
    if (hooks.cancel && hooks.cancel->load(std::memory_order_relaxed)) throw Cancelled();
    model.run_block(d, h.data(), T, state.position, state);
    if (hooks.progress) hooks.progress(d, last);
    if (hooks.after_block && !hooks.after_block(d, h.data(), T)) break;
  }
  state.position += T;
  return h;
}

std::vector<float> forward_logits(Model& model, std::span<const int32_t> ids, ModelState& state) {
  std::vector<float> h = forward(model, ids, state);
  std::vector<float> logits(ids.size() * size_t(model.vocab_size()));
  model.exit_head(h.data(), int(ids.size()), logits.data());
  return logits;
}

}  // namespace dynamax
