#pragma once
// Synthetic recorded runs for the analysis benchmarks (sweeps, calibration): no model needed, any size.
#include <cstdint>
#include <random>
#include <string>

#include "core/analysis/recorded_run.h"
#include "core/io/lenient_json.h"
#include "core/io/model_config.h"

namespace bench {

using dynamax::ModelConfig;
using dynamax::RecordedRun;

// Samples of 256 tokens. Confidence drifts up with depth plus token-level noise, so a token's running maximum
// rises often (long staircases: the expensive case); an exit agrees with the full model with probability d / L.
inline RecordedRun synthetic_run(size_t tokens, int L, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  RecordedRun r;
  r.depths = L;
  r.tokens = tokens;
  r.sample_index.resize(tokens);
  r.position.resize(tokens);
  r.token_id.assign(tokens, 0);
  r.target_id.resize(tokens);
  r.final_top1.resize(tokens);
  r.predicts_answer.resize(tokens);
  r.top1.resize(tokens * size_t(L));
  r.prob.resize(tokens * size_t(L));
  for (size_t t = 0; t < tokens; ++t) {
    r.sample_index[t] = int64_t(t / 256);
    r.position[t] = int32_t(t % 256);
    r.final_top1[t] = int32_t(rng() % 32000);
    r.target_id[t] = unit(rng) < 0.5f ? r.final_top1[t] : int32_t(rng() % 32000);
    r.predicts_answer[t] = r.position[t] >= 224;
    for (int d = 1; d <= L; ++d) {
      const float share = float(d) / float(L);
      r.top1[r.cell(t, d)] = unit(rng) < share ? r.final_top1[t] : int32_t(rng() % 32000);
      r.prob[r.cell(t, d)] = 0.6f * share + 0.4f * unit(rng);
    }
  }
  return r;
}

inline ModelConfig mistral_like(int layers) {
  return dynamax::parse_model_config(dynamax::parse_lenient_json(R"({"architectures": ["MistralForCausalLM"],
      "hidden_size": 4096, "num_hidden_layers": )" + std::to_string(layers) + R"(, "vocab_size": 32000,
      "num_attention_heads": 32, "num_key_value_heads": 8, "intermediate_size": 14336, "sliding_window": 4096})",
                                                                 "bench"),
                                     "bench");
}

}  // namespace bench
