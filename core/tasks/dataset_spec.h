#pragma once
// What names a dataset on the command line and in run configs: `kind:path[#option=value,...]`,
// e.g. "triviaqa:../data/x.jsonl#shots=2,on_error=skip" or "text:wiki.txt#window=512".
//
// Kinds and their options (every kind also takes on_error=error|skip, default error):
//   text           window=N   tokens per window, BOS not counted (default 256)
//   triviaqa       shots=N    worked examples before the question, 0..64 (default 2)
//   truthfulqa     shots=N    QA-primer pairs, 0..6 (default 6)
//   truthfulqa-mc  shots=N    as truthfulqa
//   coqa           (none)
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dynamax {

struct DatasetSpec {
  std::string kind;
  std::filesystem::path path;
  std::map<std::string, std::string> options;  // validated: known names, good values

  // Back to the `kind:path#k=v,...` form (options in name order); parse_dataset_spec(text()) gives it back.
  std::string text() const;
  // The option's value, or `fallback` when it is not given.
  std::string option(const std::string& name, const std::string& fallback) const;
  int int_option(const std::string& name, int fallback) const;
  // on_error=skip: skip malformed records with a warning instead of throwing at the first.
  bool skip_malformed() const { return option("on_error", "error") == "skip"; }
};

// Parses and validates a spec. An unknown kind or option, a missing path or a bad value throws Error naming it.
DatasetSpec parse_dataset_spec(std::string_view spec);

// Checks a spec built by hand as parse_dataset_spec checks a parsed one (kind, option names and values).
void validate_dataset_spec(const DatasetSpec& spec);

// The kinds, in the order they are documented.
const std::vector<std::string>& dataset_kinds();

}  // namespace dynamax
