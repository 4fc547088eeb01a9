#include "core/tasks/consistency_metrics.h"

#include <algorithm>

#include "core/tasks/qa_metrics.h"
#include "core/tasks/text_overlap_metrics.h"

namespace dynamax {

int first_divergence(std::span<const int32_t> a, std::span<const int32_t> b) {
  const auto [ia, ib] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  if (ia == a.end() && ib == b.end()) return -1;
  return int(ia - a.begin());
}

AnswerConsistency answer_consistency(std::string_view full_text, std::string_view early_text,
                                     std::span<const int32_t> full_ids, std::span<const int32_t> early_ids) {
  AnswerConsistency c;
  const std::string full = squad_normalize(full_text), early = squad_normalize(early_text);
  c.exact_match = full == early;
  c.f1 = coqa_f1(full_text, early_text);
  const bool both_empty = rouge_tokens(full_text).empty() && rouge_tokens(early_text).empty();
  c.rouge_l = both_empty ? 100.0 : rouge_l(early_text, full_text);
  c.first_divergence = first_divergence(full_ids, early_ids);
  return c;
}

}  // namespace dynamax
