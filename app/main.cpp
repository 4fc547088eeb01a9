// dynamax: the workbench window, the headless demo and the command line in one binary.
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/openblas_core.h"
#include "core/common/error.h"
#include "core/models/model.h"

int main(int argc, char** argv) {
  using namespace dynamax;
  app::ensure_fast_openblas_core(argv);
  const std::map<std::string, std::function<int(const cli::Argv&)>> commands = {
      {"info", cli::run_info},   {"tokenize", cli::run_tokenize}, {"lens", cli::run_lens},
      {"generate", cli::run_generate}, {"demo", cli::run_demo}, {"record", cli::run_record},
      {"runs", cli::run_runs},
      {"classifiers", cli::run_classifiers},
      {"train-exits", cli::run_train_exits},
      {"sweep", cli::run_sweep},
      {"calibrate", cli::run_calibrate},
      {"plot", cli::run_plot},
      {"evaluate", cli::run_evaluate},
      {"merge", cli::run_merge},
      {"score", cli::run_score},
  };
  const std::string command = argc > 1 ? argv[1] : "demo";
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << cli::usage();
    return 0;
  }
  auto it = commands.find(command);
  if (it == commands.end()) {
    std::cerr << "dynamax: unknown command '" << command << "' (see dynamax --help)\n";
    return 2;
  }
  try {
    return it->second(cli::Argv(argv + std::min(argc, 2), argv + argc));
  } catch (const cli::UsageError& e) {
    std::cerr << "dynamax " << command << ": " << e.what() << "\n(see dynamax --help)\n";
    return 2;
  } catch (const Cancelled&) {
    std::cerr << "dynamax " << command << ": cancelled\n";
    return 130;
  } catch (const Error& e) {
    std::cerr << "dynamax " << command << ": " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "dynamax " << command << ": unexpected error: " << e.what() << "\n";
    return 1;
  }
}
