// dynamax lens <model-dir> (--ids 1,2,3 | --prompt TEXT) [--top K] [--precision fp32|bf16]
// [--exit-head direct|last-block] [--json]: the exit head at every depth.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/cli/model_folder_arg.h"
#include "app/cli/precision_option.h"
#include "app/cli/early_exit_options.h"
#include "app/cli/prompt_ids.h"
#include "app/jobs/precision_choice.h"
#include "core/exits/logit_lens.h"
#include "core/models/model.h"

namespace dynamax::cli {

int run_lens(const Argv& argv) {
  Args args("lens", argv, {"ids", "prompt", "top", "precision", "exit-head"}, {"json"});
  const ExitHead head = exit_head_option(args);
  const std::string folder = model_folder_arg(args).string();
  const std::vector<int32_t> ids = prompt_ids(args, folder);
  const Precision precision = precision_option(args);
  auto model = load_model(folder);
  app::apply_precision(*model, precision);
  const int k = args.int_value("top", 5, 1, model->vocab_size());
  const LensResult lens = logit_lens(*model, ids, k, {}, head);
  if (args.flag("json")) {
    nlohmann::json top_ids = nlohmann::json::array(), top_lp = nlohmann::json::array();
    for (int d = 1; d <= lens.depths; ++d) {
      nlohmann::json di = nlohmann::json::array(), dl = nlohmann::json::array();
      for (int t = 0; t < lens.positions; ++t) {
        nlohmann::json ri = nlohmann::json::array(), rl = nlohmann::json::array();
        for (int r = 0; r < k; ++r) {
          ri.push_back(lens.id(d, t, r));
          rl.push_back(lens.logprob(d, t, r));
        }
        di.push_back(std::move(ri));
        dl.push_back(std::move(rl));
      }
      top_ids.push_back(std::move(di));
      top_lp.push_back(std::move(dl));
    }
    std::cout << nlohmann::json{{"depths", lens.depths}, {"positions", lens.positions}, {"top_ids", top_ids},
                                {"top_logprobs", top_lp}}
                     .dump()
              << "\n";
    return 0;
  }
  // Text: for each position, the top-1 id and its probability at every depth.
  for (int t = 0; t < lens.positions; ++t) {
    std::printf("position %d (input %d)\n", t, ids[size_t(t)]);
    for (int d = 1; d <= lens.depths; ++d)
      std::printf("  depth %3d  top-1 %6d  log-prob %8.4f\n", d, lens.id(d, t, 0), lens.logprob(d, t, 0));
  }
  return 0;
}

}  // namespace dynamax::cli
