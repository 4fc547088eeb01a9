// dynamax merge --into OUT.db IN.db... [--rename] [--json]: copies the runs of several workspaces into one and
// joins complete sets of shard runs (record/evaluate --shard K/N) into single runs.
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "storage/workspace_merge.h"

namespace dynamax::cli {

int run_merge(const Argv& argv) {
  Args args("merge", argv, {"into"}, {"rename", "json"});
  const auto into = args.value("into");
  if (!into) throw UsageError("'dynamax merge' needs --into OUT.db");
  if (args.positionals().empty()) throw UsageError("'dynamax merge' needs the workspaces to merge (IN.db ...)");
  const std::vector<std::filesystem::path> inputs(args.positionals().begin(), args.positionals().end());
  const MergeReport r = merge_workspaces(*into, inputs, {.rename_classifiers = args.flag("rename")});
  if (args.flag("json")) {
    std::cout << nlohmann::json{{"into", *into}, {"runs_copied", r.runs_copied}, {"shard_runs_joined", r.shard_runs_joined},
                                {"shards", r.shards}, {"classifiers_copied", r.classifiers_copied}, {"notes", r.notes}}
                     .dump(2)
              << "\n";
    return 0;
  }
  for (const std::string& note : r.notes) std::cout << note << "\n";
  std::cout << *into << ": " << r.runs_copied << " runs copied, " << r.shard_runs_joined << " runs joined from "
            << r.shards << " shards, " << r.classifiers_copied << " classifiers copied\n";
  return 0;
}

}  // namespace dynamax::cli
