#pragma once
// Which published scorer's conventions a metric follows where they differ (README, "Metric conventions"):
//  official  the benchmarks' own scripts: TruthfulQA MC1 counts a tie with the correct choice as wrong, and an empty
//            generated answer is skipped (not scored);
//  lm-eval   EleutherAI's lm-evaluation-harness (what the DYNAMAX authors ran): MC1 is argmax = correct choice (the
//            first of tied choices wins), and an empty answer is scored (0 everywhere).
// Both score TruthfulQA's ROUGE-L as rougeLsum and BLEU with sacrebleu's "intl" tokenizer; TriviaQA and CoQA
// follow their official scripts under both.
#include <string>
#include <string_view>

namespace dynamax {

enum class MetricConventions { Official, LmEval };

// Throws Error for anything but "official" or "lm-eval".
MetricConventions parse_metric_conventions(std::string_view name);
std::string metric_conventions_name(MetricConventions conventions);

}  // namespace dynamax
