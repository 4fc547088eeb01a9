#pragma once
// The ground-truth metrics of one generated answer, by task, as stored in an evaluation's metrics_json and printed
// by `dynamax score`: triviaqa and coqa {"em", "f1"}; truthfulqa {"bleu_max", "bleu_diff", "bleu_acc",
// "rouge_l_max", "rouge_l_diff", "rouge_l_acc"} (ROUGE-L is rougeLsum), or {} when the conventions skip the answer.
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "core/tasks/metric_conventions.h"

namespace dynamax {

// Throws Error for a task other than triviaqa, coqa or truthfulqa, and for malformed UTF-8 (with its position).
nlohmann::json answer_metrics(std::string_view task, std::string_view answer, std::span<const std::string> gold,
                              std::span<const std::string> incorrect, MetricConventions conventions);

}  // namespace dynamax
