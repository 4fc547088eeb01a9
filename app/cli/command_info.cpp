// dynamax info <model-dir> [--json]: what a model folder holds.
#include <iostream>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/cli/model_folder_arg.h"
#include "core/io/model_summary.h"

namespace dynamax::cli {

int run_info(const Argv& argv) {
  Args args("info", argv, {}, {"json"});
  const ModelSummary summary = summarize_model_folder(model_folder_arg(args));
  if (args.flag("json")) std::cout << summary_to_json(summary).dump(2) << "\n";
  else std::cout << summary_to_text(summary);
  return 0;
}

}  // namespace dynamax::cli
