#pragma once
// MistralForCausalLM / LlamaForCausalLM: pre-norm blocks of grouped-query attention (RoPE, sliding window) + SwiGLU.
// Its state is a KvCache (core/models/kv_cache.h).
#include <memory>

#include "core/models/model.h"

namespace dynamax {

// Checks every tensor (presence, shape, dtype BF16/F16/F32) up front; weights stay mapped in their file dtype.
std::unique_ptr<Model> load_transformer(ModelConfig config, SafetensorsSet weights);

}  // namespace dynamax
