#pragma once
// MistralForCausalLM / LlamaForCausalLM / Qwen2ForCausalLM: pre-norm blocks of grouped-query attention (RoPE with
// the config's scaling, a sliding window per layer, the biases the config names) + SwiGLU.
// Its state is a KvCache (core/models/kv_cache.h).
#include <memory>

#include "core/models/model.h"

namespace dynamax {

// Checks every tensor (presence, shape, dtype BF16/F16/F32) up front; weights stay mapped in their file dtype.
std::unique_ptr<Model> load_transformer(ModelConfig config, SafetensorsSet weights);

// CALM's propagation for a block that an early exit skipped: appends to block `depth`'s cache the keys (after RoPE)
// and values the block computes from residual rows h[T x hidden] at positions pos0.. (its input norm and k/v
// projections with their biases only; the block itself does not run). Throws dynamax::Error for a model that is
// not a transformer.
void append_block_kv(Model& transformer, int depth, const float* h, int T, int pos0, ModelState& state);

}  // namespace dynamax
