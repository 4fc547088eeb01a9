#include "core/tasks/answer_metrics.h"

#include "core/common/error.h"
#include "core/tasks/qa_metrics.h"
#include "core/tasks/text_overlap_metrics.h"

namespace dynamax {

nlohmann::json answer_metrics(std::string_view task, std::string_view answer, std::span<const std::string> gold,
                              std::span<const std::string> incorrect, MetricConventions conventions) {
  if (task == "triviaqa" || task == "coqa") {
    const QaScore s = task == "triviaqa" ? triviaqa_score(answer, gold) : coqa_score(answer, gold);
    return {{"em", s.exact_match}, {"f1", s.f1}};
  }
  if (task != "truthfulqa") throw Error("no answer metrics for task '" + std::string(task) + "' (triviaqa|coqa|truthfulqa)");
  const TruthfulqaGenerationScore s = truthfulqa_generation_score(answer, gold, incorrect, conventions);
  if (!s.scored) return nlohmann::json::object();
  return {{"bleu_max", s.bleu_max}, {"bleu_diff", s.bleu_diff}, {"bleu_acc", s.bleu_acc},
          {"rouge_l_max", s.rouge_l_max}, {"rouge_l_diff", s.rouge_l_diff}, {"rouge_l_acc", s.rouge_l_acc}};
}

}  // namespace dynamax
