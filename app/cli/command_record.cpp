// dynamax record --model DIR --dataset SPEC --db FILE [--limit N] [--shard K/N] [--threads N] [--top-k K]
//   [--classifiers FILE|NAME[,...]] [--no-shared-prefix] [--precision fp32|bf16] [--exit-head H] [--json]
//   (a NAME: a classifier stored in the workspace)
// dynamax record --resume RUN --db FILE [--threads N] [--json]
// Progress goes to stderr; the run id (or a JSON summary) to stdout. Ctrl-C cancels cleanly (resumable).
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/cancel_signal.h"
#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/cli/shard_option.h"
#include "app/cli/precision_option.h"
#include "app/cli/early_exit_options.h"
#include "app/jobs/stored_classifier_file.h"
#include "app/jobs/record_job.h"

namespace dynamax::cli {

int run_record(const Argv& argv) {
  Args args("record", argv,
            {"model", "dataset", "db", "limit", "threads", "top-k", "resume", "classifiers", "shard", "precision", "exit-head"},
            {"json", "no-shared-prefix", "force"});
  app::RecordOptions o;
  auto db = args.value("db");
  if (!db) throw UsageError("'dynamax record' needs --db FILE");
  o.db_path = *db;
  if (auto resume = args.value("resume")) {
    o.resume_run = args.int_value("resume", 0, 1, 1 << 30);
    o.force = args.flag("force");
  } else {
    if (args.flag("force")) throw UsageError("--force goes with --resume RUN");
    auto model = args.value("model"), dataset = args.value("dataset");
    if (!model || !dataset) throw UsageError("'dynamax record' needs --model DIR and --dataset SPEC (or --resume RUN)");
    o.model_dir = *model;
    o.dataset_spec = *dataset;
    o.limit = size_t(args.int_value("limit", 0, 0, 1 << 30));
    o.top_k = args.int_value("top-k", 0, 0, 1000);
    o.shard = shard_option(args);
    o.shared_prefixes = !args.flag("no-shared-prefix");
    o.precision = precision_option(args);
    o.exit_head = exit_head_option(args);
    for (std::string list = args.value_or("classifiers", ""); !list.empty();) {
      const size_t comma = list.find(',');
      o.classifiers.push_back(app::classifier_file_or_stored(o.db_path, list.substr(0, comma)));
      list = comma == std::string::npos ? "" : list.substr(comma + 1);
    }
  }
  o.threads = args.int_value("threads", 0, 0, 1024);
  bool noted = false;
  const app::RecordResult r = app::run_record_job(o, cancel_on_signals(), [&](const app::RecordProgress& p) {
    // (a shard holds its slice of the samples asked for, not all of them)
    const std::string note = o.shard.whole() ? app::fewer_samples_note(o.limit, p.samples_total) : "";
    if (!note.empty() && !noted) std::fprintf(stderr, "note: %s\n", note.c_str()), noted = true;
    std::fprintf(stderr, "\rrun %lld: %zu/%zu samples, %lld tokens, %.0f tokens/s, ETA %.0f s   ", (long long)p.run_id,
                 p.samples_done, p.samples_total, (long long)p.tokens_done, p.tokens_per_second, p.eta_seconds);
  });
  std::fprintf(stderr, "\nrun %lld %s: %zu samples, %lld tokens\n", (long long)r.run_id, r.status.c_str(), r.samples,
               (long long)r.tokens);
  print_warnings("record", r.warnings);
  if (args.flag("json"))
    std::cout << nlohmann::json{{"run_id", r.run_id}, {"status", r.status}, {"samples", r.samples}, {"tokens", r.tokens}}.dump()
              << "\n";
  else
    std::cout << r.run_id << "\n";
  return r.status == "done" ? 0 : 130;
}

}  // namespace dynamax::cli
