#pragma once
// Merging workspaces: the runs of several workspace files (shards recorded by array jobs on other machines, or
// whole runs) copied into one, with models matched by content and the shards of one run joined into that run.
#include <filesystem>
#include <string>
#include <vector>

namespace dynamax {

struct MergeOptions {
  bool rename_classifiers = false;  // a classifier name already taken gets a "~2" suffix instead of an error
};

struct MergeReport {
  int runs_copied = 0;       // runs that arrive as they were
  int shard_runs_joined = 0; // runs built from complete sets of shards
  int shards = 0;            // shard runs consumed by those
  int classifiers_copied = 0;
  std::vector<std::string> notes;  // one line per renamed classifier or joined run
};

// Copies every run of `inputs` into `into` (created when missing). Shard runs of the same run (same kind, model
// and dataset content, options and N) become one run with the samples in dataset order; an incomplete set, a
// duplicate shard, shards whose options differ, an unfinished run, a newer schema, a file that is not a workspace
// or an input that is `into` itself throws dynamax::Error. The result is built in a temporary file and copied
// into `into` in one transaction: a failed merge leaves `into` as it was. Inputs are only read.
MergeReport merge_workspaces(const std::filesystem::path& into, const std::vector<std::filesystem::path>& inputs,
                             const MergeOptions& options = {});

}  // namespace dynamax
