#pragma once
// Agreement of an early-exit generation with the full model's, per answer.
#include <cstdint>
#include <span>
#include <string_view>

namespace dynamax {

struct AnswerConsistency {
  bool exact_match = false;  // the two answers are equal after SQuAD normalisation
  double f1 = 0;             // SQuAD token F1 between them (1 when both are empty)
  double rouge_l = 0;        // ROUGE-L F-measure between them, 0..100 (100 when both are empty)
  int first_divergence = -1;  // first token index where the ids differ; -1 when identical
};

AnswerConsistency answer_consistency(std::string_view full_text, std::string_view early_text,
                                     std::span<const int32_t> full_ids, std::span<const int32_t> early_ids);

// The first index where the two sequences differ (the shorter length when one extends the other); -1 if equal.
int first_divergence(std::span<const int32_t> a, std::span<const int32_t> b);

}  // namespace dynamax
