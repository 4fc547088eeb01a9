#pragma once
// The multiplicative repetition penalty of Hugging Face's RepetitionPenaltyLogitsProcessor (CTRL, Keskar et al.
// 2019): the logit of every token among the recent ones is divided by p when positive and multiplied by p when
// negative (p > 1 discourages repeats). Each distinct token is penalised once.
#include <cstdint>
#include <span>

namespace dynamax {

struct RepetitionPenalty {
  float penalty = 1.0f;  // 1 = off
  int window = 0;        // how many of the most recent generated tokens count; 0 = all of them

  bool active() const { return penalty != 1.0f; }
};

// Applies `rule` to logits[vocab] for the tokens generated so far (oldest first).
void apply_repetition_penalty(const RepetitionPenalty& rule, std::span<const int32_t> generated, std::span<float> logits);

}  // namespace dynamax
