// dynamax score --task triviaqa|coqa|truthfulqa --prediction TEXT --gold TEXT [--gold TEXT ...]
//   [--incorrect TEXT ...] [--metrics official|lm-eval] [--json]
// One answer's task metrics, exactly as `evaluate` computes them, so a score can be checked by hand.
#include <cstdio>
#include <iostream>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/cli/metrics_option.h"
#include "core/tasks/answer_metrics.h"

namespace dynamax::cli {

int run_score(const Argv& argv) {
  Args args("score", argv, {"task", "prediction", "gold", "incorrect", "metrics"}, {"json"},
            {"prediction", "gold", "incorrect"});
  const std::string task = args.value_or("task", "");
  if (task != "triviaqa" && task != "coqa" && task != "truthfulqa")
    throw UsageError("'dynamax score' needs --task triviaqa|coqa|truthfulqa");
  const auto prediction = args.value("prediction");
  if (!prediction) throw UsageError("'dynamax score' needs --prediction TEXT (it may be empty)");
  const std::vector<std::string> gold = args.values("gold"), incorrect = args.values("incorrect");
  if (gold.empty()) throw UsageError("'dynamax score' needs at least one --gold TEXT");
  if (task == "truthfulqa" && incorrect.empty()) throw UsageError("'dynamax score --task truthfulqa' needs --incorrect TEXT");
  if (task != "truthfulqa" && !incorrect.empty()) throw UsageError("--incorrect applies to --task truthfulqa only");
  const MetricConventions conventions = metric_conventions_option(args);
  const nlohmann::json metrics = answer_metrics(task, *prediction, gold, incorrect, conventions);
  if (args.flag("json")) {
    std::cout << nlohmann::json{{"task", task}, {"metrics_conventions", metric_conventions_name(conventions)},
                                {"scored", !metrics.empty()}, {"metrics", metrics}}.dump()
              << "\n";
    return 0;
  }
  if (metrics.empty()) std::printf("not scored (%s conventions skip an empty answer)\n", metric_conventions_name(conventions).c_str());
  for (const auto& [name, value] : metrics.items())
    std::printf("%-14s %s\n", name.c_str(), value.is_boolean() ? (value.get<bool>() ? "true" : "false") : std::to_string(value.get<double>()).c_str());
  return 0;
}

}  // namespace dynamax::cli
