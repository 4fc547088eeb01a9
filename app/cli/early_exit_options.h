#pragma once
// The early-exit options `generate` and `evaluate` share: measure, threshold(s), depths, skip strategies, the
// exit head, stop strings and repetition penalty.
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/cli/cli_args.h"
#include "core/exits/early_exit_decoder.h"
#include "core/exits/exit_classifier.h"

namespace dynamax::cli {

struct EarlyExitOptions {
  ConfidenceMeasure measure;
  std::filesystem::path classifier_file;  // --classifiers: what a classifier:NAME measure scores with
  std::shared_ptr<const ExitClassifier> classifier;  // that file, loaded (null without --classifiers)
  std::vector<int> depths;  // empty: every depth
  int min_depth = 1;
  SkipStrategy skip;
  ExitHead exit_head = ExitHead::Direct;
  std::vector<std::string> stop_strings;
  RepetitionPenalty repetition;
};

// The option names, for Args.
const std::set<std::string>& early_exit_option_names();
// True when any option that changes the exit rule or the strategies is given.
bool has_exit_options(const Args& args);
// Reads them (defaults: max-prob, every depth, recompute, keep); bad values are usage errors. With --classifiers
// the measure defaults to that classifier and the depths to its exits (the file is read to know them).
EarlyExitOptions parse_early_exit_options(const Args& args);
// --exit-head direct|last-block (direct when absent); a bad value is a usage error. Also read by lens and record.
ExitHead exit_head_option(const Args& args);
// A comma-separated list of thresholds, e.g. "0.5,0.7,inf".
std::vector<double> parse_thresholds(const std::string& text, const std::string& option);
// "\n" and "\t" written as two characters on a command line, turned into the characters.
std::string unescape(const std::string& text);

}  // namespace dynamax::cli
