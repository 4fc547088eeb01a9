#pragma once
// The `dynamax` subcommands. Each takes the arguments after its name and returns the process exit code;
// errors are thrown (dynamax::Error → exit 1, UsageError → exit 2) and printed once by the dispatcher.
#include <string>
#include <vector>

namespace dynamax::cli {

using Argv = std::vector<std::string>;

int run_info(const Argv& args);
int run_tokenize(const Argv& args);
int run_lens(const Argv& args);
int run_generate(const Argv& args);
int run_demo(const Argv& args);
int run_record(const Argv& args);
int run_runs(const Argv& args);
int run_train_exits(const Argv& args);
int run_classifiers(const Argv& args);
int run_sweep(const Argv& args);
int run_calibrate(const Argv& args);
int run_plot(const Argv& args);
int run_evaluate(const Argv& args);
int run_merge(const Argv& args);

// Prints each warning to stderr as "dynamax <command>: warning: <warning>" (e.g. records skipped by on_error=skip).
void print_warnings(const std::string& command, const std::vector<std::string>& warnings);
int run_score(const Argv& args);

// The whole usage text.
std::string usage();

}  // namespace dynamax::cli
