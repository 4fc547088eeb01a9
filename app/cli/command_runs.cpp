// dynamax runs --db FILE [--json] [--delete RUN]: the runs of a workspace with status, counts and precision.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/jobs/precision_choice.h"
#include "core/common/error.h"
#include "storage/run_store.h"
#include "storage/schema.h"

namespace dynamax::cli {

int run_runs(const Argv& argv) {
  Args args("runs", argv, {"db", "delete"}, {"json", "force"});
  auto path = args.value("db");
  if (!path) throw UsageError("'dynamax runs' needs --db FILE");
  if (!std::filesystem::exists(*path)) throw Error(*path + ": no such database");
  if (args.value("delete")) {
    const int64_t id = args.int_value("delete", 0, 1, 1 << 30);
    Database db(*path);
    open_workspace(db);
    RunStore(db).delete_run(id, args.flag("force"));
    std::cerr << "deleted run " << id << "\n";
    return 0;
  }
  if (args.flag("force")) throw UsageError("--force goes with --delete RUN");
  Database db(*path, Database::Mode::ReadOnly);  // listing never writes
  check_readable_workspace(db);
  RunStore store(db);
  const auto runs = store.list_runs();
  if (args.flag("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const RunInfo& r : runs)
      out.push_back({{"id", r.id}, {"kind", r.kind}, {"status", r.shown_status()}, {"model", r.model_name},
                     {"model_path", r.model_path}, {"architecture", r.architecture}, {"depths", r.depths},
                     {"dataset", r.dataset_spec}, {"samples", r.samples_done}, {"sample_target", r.sample_target},
                     {"tokens", r.tokens}, {"exit_rows", r.tokens * r.depths}, {"precision", app::shown_precision(r.config)}, {"created_at", r.created_at},
                     {"finished_at", r.finished_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.finished_at)},
                     {"error", r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.error)}});
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  // Columns as wide as their longest entry ("evaluate", "interrupted", a long model name).
  int kind_w = 4, status_w = 6, model_w = 5, samples_w = 7;
  auto samples = [](const RunInfo& r) { return std::to_string(r.samples_done) + "/" + std::to_string(r.sample_target); };
  for (const RunInfo& r : runs) {
    kind_w = std::max(kind_w, int(r.kind.size()));
    status_w = std::max(status_w, int(r.shown_status().size()));
    model_w = std::max(model_w, int(r.model_name.size()));
    samples_w = std::max(samples_w, int(samples(r).size()));
  }
  std::printf("%4s  %-*s  %-*s  %-*s  %*s %9s  %-9s  %s\n", "id", kind_w, "kind", status_w, "status", model_w, "model",
              samples_w, "samples", "tokens", "precision", "dataset");
  for (const RunInfo& r : runs)
    std::printf("%4lld  %-*s  %-*s  %-*s  %*s %9lld  %-9s  %s%s\n", (long long)r.id, kind_w, r.kind.c_str(), status_w,
                r.shown_status().c_str(), model_w, r.model_name.c_str(), samples_w, samples(r).c_str(),
                (long long)r.tokens, app::shown_precision(r.config).c_str(), r.dataset_spec.c_str(),
                r.error.empty() ? "" : ("  error: " + r.error).c_str());
  return 0;
}

}  // namespace dynamax::cli
