// dynamax evaluate --model DIR --dataset SPEC --db FILE [--exit-measure M] [--thresholds 0.5,0.7,0.9] [--depths ...]
//   [--min-depth D] [--kv-strategy S] [--state-strategy S] [--stop STR] [--repetition-penalty P --penalty-window N]
//   [--limit N] [--shard K/N] [--max-new N] [--threads N] [--metrics official|lm-eval] [--json]
// dynamax evaluate --resume RUN --db FILE [--threads N] [--precision fp32|bf16] [--json]
// Progress goes to stderr; a table per policy (or JSON) to stdout. Ctrl-C cancels cleanly (resumable).
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/cancel_signal.h"
#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/cli/shard_option.h"
#include "app/cli/precision_option.h"
#include "app/cli/early_exit_options.h"
#include "app/cli/metrics_option.h"
#include "app/jobs/evaluate_job.h"

namespace dynamax::cli {

namespace {

// The quality columns of a dataset kind, as stored in metrics_json.
std::vector<std::string> quality_columns(const std::string& kind) {
  if (kind == "truthfulqa") return {"bleu_max", "bleu_diff", "bleu_acc", "rouge_l_max", "rouge_l_diff", "rouge_l_acc"};
  if (kind == "truthfulqa-mc") return {"mc1", "mc2"};
  if (kind == "text") return {"next_token_accuracy", "perplexity", "consistency_top1"};
  return {"em", "f1"};
}

std::vector<std::string> consistency_columns(const std::string& kind) {
  if (kind == "text" || kind == "truthfulqa-mc") return {};
  return {"consistency_em", "consistency_f1", "consistency_rouge_l"};
}

nlohmann::json summary_json(const app::EvaluateResult& r) {
  nlohmann::json policies = nlohmann::json::array();
  for (const PolicySummary& p : r.policies)
    policies.push_back({{"policy", p.policy}, {"samples", p.samples}, {"tokens", p.tokens}, {"metrics", p.metrics},
                        {"blocks_executed", p.blocks_executed}, {"blocks_full", p.blocks_full},
                        {"blocks_saved", p.blocks_saved()}, {"flops_saved", p.flops_saved()},
                        {"seconds", p.seconds}, {"tokens_per_second", p.tokens_per_second()}});
  return {{"run_id", r.run_id}, {"status", r.status}, {"dataset", r.dataset_kind}, {"strategy", r.strategy},
          {"policies", policies}};
}

void print_table(const app::EvaluateResult& r) {
  std::vector<std::string> columns = quality_columns(r.dataset_kind);
  for (const std::string& c : consistency_columns(r.dataset_kind)) columns.push_back(c);
  std::printf("run %lld (%s, skipped blocks: %s)\n%-18s %7s", (long long)r.run_id, r.dataset_kind.c_str(),
              r.strategy.c_str(), "policy", "samples");
  for (const std::string& c : columns) std::printf(" %12s", c.c_str());
  std::printf(" %13s %12s %10s\n", "blocks saved", "FLOPs saved", "tokens/s");
  for (const PolicySummary& p : r.policies) {
    std::printf("%-18s %7lld", p.policy.c_str(), (long long)p.samples);
    for (const std::string& c : columns) {
      auto it = p.metrics.find(c);
      if (it == p.metrics.end())
        std::printf(" %12s", "-");
      else
        std::printf(" %12.4f", it->second);
    }
    std::printf(" %12.1f%% %11.1f%% %10.1f\n", 100 * p.blocks_saved(), 100 * p.flops_saved(), p.tokens_per_second());
  }
}

}  // namespace

int run_evaluate(const Argv& argv) {
  std::set<std::string> valued = {"model", "dataset", "db", "limit", "max-new", "threads", "thresholds", "resume", "shard", "precision", "metrics"};
  valued.insert(early_exit_option_names().begin(), early_exit_option_names().end());
  Args args("evaluate", argv, valued, {"json", "no-shared-prefix", "force"});
  app::EvaluateOptions o;
  auto db = args.value("db");
  if (!db) throw UsageError("'dynamax evaluate' needs --db FILE");
  o.db_path = *db;
  if (args.value("resume")) {
    if (args.value("metrics")) throw UsageError("--metrics is kept with the run: '--resume' continues with the run's own");
    o.resume_run = args.int_value("resume", 0, 1, 1 << 30);
    o.force = args.flag("force");
  } else {
    if (args.flag("force")) throw UsageError("--force goes with --resume RUN");
    auto model = args.value("model"), dataset = args.value("dataset");
    if (!model || !dataset) throw UsageError("'dynamax evaluate' needs --model DIR and --dataset SPEC (or --resume RUN)");
    o.model_dir = *model;
    o.dataset_spec = *dataset;
    o.limit = size_t(args.int_value("limit", 0, 0, 1 << 30));
    o.shard = shard_option(args);
    o.max_new_tokens = args.int_value("max-new", 32, 1, 1 << 16);
    const EarlyExitOptions e = parse_early_exit_options(args);
    o.measure = e.measure;
    o.classifier_file = e.classifier_file;
    o.depths = e.depths;
    o.min_depth = e.min_depth;
    o.skip = e.skip;
    o.exit_head = e.exit_head;
    o.stop_strings = e.stop_strings;
    o.repetition = e.repetition;
    if (auto t = args.value("thresholds")) o.thresholds = parse_thresholds(*t, "thresholds");
    o.precision = precision_option(args);
    o.shared_prefixes = !args.flag("no-shared-prefix");
    o.metrics = metric_conventions_option(args);
  }
  o.threads = args.int_value("threads", 0, 0, 1024);
  const app::EvaluateResult r = app::run_evaluate_job(o, cancel_on_signals(), [](const app::EvaluateProgress& p) {
    std::fprintf(stderr, "\rrun %lld: %zu/%zu samples   ", (long long)p.run_id, p.samples_done, p.samples_total);
  });
  std::fprintf(stderr, "\nrun %lld %s\n", (long long)r.run_id, r.status.c_str());
  print_warnings("evaluate", r.warnings);
  if (args.flag("json"))
    std::cout << summary_json(r).dump() << "\n";
  else
    print_table(r);
  return r.status == "done" ? 0 : 130;
}

}  // namespace dynamax::cli
