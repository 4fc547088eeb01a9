#pragma once
// The model interface shared by every architecture: block-by-block stepping over the residual stream, with an
// exit head (final norm + lm_head) that can be applied after any depth d ∈ 1..L.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "core/common/error.h"
#include "core/io/model_config.h"
#include "core/io/safetensors.h"
#include "core/kernels/precision.h"

namespace dynamax {

// Per-sequence state of a model: the KV cache (transformer) or the conv + SSM states (Mamba, Mamba2), for every
// block.
// `position` is the number of tokens the sequence has consumed, i.e. the position of the next token; the
// drivers below advance it after a full step, callers that step blocks by hand advance it themselves.
class ModelState {
 public:
  virtual ~ModelState() = default;
  virtual std::unique_ptr<ModelState> clone() const = 0;
  virtual void reset() = 0;
  // Forgets every token at position >= n (transformers); recurrent states throw dynamax::Error.
  virtual void truncate(int n) = 0;
  int position = 0;
};

class Model {
 public:
  virtual ~Model() = default;

  const ModelConfig& config() const { return config_; }
  int depth() const { return config_.num_layers; }
  int hidden_size() const { return config_.hidden_size; }
  int vocab_size() const { return config_.vocab_size; }
  const SafetensorsSet& weights() const { return weights_; }

  virtual std::unique_ptr<ModelState> new_state() const = 0;

  // The matmuls' compute precision (fp32 by default). Set bf16 only as effective_precision() allows it; a
  // state built in one precision may be continued in the other, but the two give slightly different numbers.
  Precision precision() const { return precision_; }
  void set_precision(Precision precision) { precision_ = precision; }

  // h[T x hidden] = embedding rows of `ids`; throws dynamax::Error for an id outside the vocabulary.
  void embed(std::span<const int32_t> ids, float* h) const;
  // Runs block `depth` (1..L) on T rows of the residual stream `h` (in place), for the tokens at positions
  // pos0 .. pos0+T-1, reading and extending that block's part of `state`.
  virtual void run_block(int depth, float* h, int T, int pos0, ModelState& state) = 0;
  // out[T x hidden] = final_norm(h).
  void final_norm(const float* h, int T, float* out) const;
  // logits[T x vocab] = lm_head(final_norm(h)): the exit head, the model's own output at depth L.
  void exit_head(const float* h, int T, float* logits) const;

 protected:
  Model(ModelConfig config, SafetensorsSet weights);
  // Names of the shared tensors, per architecture.
  void bind_shared_tensors(const std::string& embed_name, const std::string& norm_name);

  ModelConfig config_;
  SafetensorsSet weights_;
  const TensorView* embed_tokens_ = nullptr;
  const TensorView* final_norm_weight_ = nullptr;
  const TensorView* lm_head_ = nullptr;  // == embed_tokens_ when tied
  std::vector<float> final_norm_f32_;
  Precision precision_ = Precision::FP32;
};

// Loads a model folder (config.json + safetensors), dispatching on the architecture.
std::unique_ptr<Model> load_model(const std::filesystem::path& folder);

// Hooks for whole-sequence runs. `after_block(depth, h, T)` sees the residual stream after each executed block
// and returns false to stop there. `cancel` is checked between blocks; a cancelled run throws Cancelled.
struct ForwardHooks {
  std::function<bool(int depth, const float* h, int T)> after_block;
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(int depth_done, int depth_total)> progress;
};

// Runs `ids` (at positions state.position ...) through blocks 1..up_to_depth (0 = all), then advances
// state.position by ids.size() and returns the residual stream h[T x hidden] after the last executed block.
std::vector<float> forward(Model& model, std::span<const int32_t> ids, ModelState& state, int up_to_depth = 0,
                           const ForwardHooks& hooks = {});

// logits[T x vocab] of the full model (depth L) for `ids`, continuing `state`.
std::vector<float> forward_logits(Model& model, std::span<const int32_t> ids, ModelState& state);

}  // namespace dynamax
