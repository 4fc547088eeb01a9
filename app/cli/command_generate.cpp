// dynamax generate <model-dir> (--ids 1,2,3 | --prompt TEXT) --max-new N [--stop-at-eos] [--json]
//   [--exit-measure M --threshold T [--depths 8,10,12] [--min-depth D] [--kv-strategy S] [--state-strategy S]]
//   [--classifiers FILE]   (an exit classifier: the measure classifier:NAME, its exits the depths, by default)
//   [--stop STR] [--repetition-penalty P [--penalty-window N]] [--precision fp32|bf16]
// Greedy decoding with the cache; with exit options, through the early-exit decoder, reporting each token's exit
// depth and the blocks executed.
#include <iostream>
#include <limits>
#include <optional>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/cli/model_folder_arg.h"
#include "app/cli/early_exit_options.h"
#include "app/cli/precision_option.h"
#include "app/cli/prompt_ids.h"
#include "app/jobs/precision_choice.h"
#include "core/common/error.h"
#include "core/models/greedy.h"
#include "core/tokenize/tokenizer.h"

namespace dynamax::cli {

namespace fs = std::filesystem;

namespace {

std::set<std::string> generate_options() {
  std::set<std::string> names = {"ids", "prompt", "max-new", "threshold", "precision"};
  names.insert(early_exit_option_names().begin(), early_exit_option_names().end());
  return names;
}

nlohmann::json text_json(const Tokenizer* tokenizer, const std::string& text) {
  return tokenizer ? nlohmann::json(text) : nlohmann::json(nullptr);
}

}  // namespace

int run_generate(const Argv& argv) {
  Args args("generate", argv, generate_options(), {"json", "stop-at-eos"});
  const fs::path folder = model_folder_arg(args);
  const std::vector<int32_t> ids = prompt_ids(args, folder);
  const Precision precision = precision_option(args);
  auto model = load_model(folder);
  app::apply_precision(*model, precision);
  std::unique_ptr<Tokenizer> tokenizer;
  if (fs::exists(folder / "tokenizer.model") || fs::exists(folder / "tokenizer.json")) tokenizer = load_tokenizer(folder);
  const int max_new = args.int_value("max-new", 32, 1, 1 << 20);
  const int eos = args.flag("stop-at-eos") ? model->config().eos_token_id : -1;
  const bool early_exit = has_exit_options(args) || args.value("stop") || args.value("repetition-penalty");

  if (!early_exit) {
    GreedyOptions options;
    options.max_new_tokens = max_new;
    options.eos_id = eos;
    const std::vector<int32_t> out = greedy_generate(*model, ids, options);
    const std::string text = tokenizer ? tokenizer->decode(out) : std::string();
    if (args.flag("json")) {
      std::cout << nlohmann::json{{"ids", out}, {"text", text_json(tokenizer.get(), text)}}.dump() << "\n";
    } else {
      if (tokenizer) std::cout << text << "\n";
      for (size_t i = 0; i < out.size(); ++i) std::cout << (i ? "," : "") << out[i];
      std::cout << "\n";
    }
    return 0;
  }

  const EarlyExitOptions o = parse_early_exit_options(args);
  if (has_exit_options(args) && !args.value("threshold"))
    throw UsageError("early exits need --threshold T (use inf to never exit)");
  const double threshold = args.value("threshold") ? parse_thresholds(*args.value("threshold"), "threshold").at(0)
                                                   : std::numeric_limits<double>::infinity();
  if (!o.stop_strings.empty() && !tokenizer) throw UsageError("--stop needs the model folder's tokenizer");
  ExitRule rule;
  try {
    rule = {o.measure, threshold, make_exit_policy(model->depth(), o.depths, o.min_depth), o.exit_head};
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  std::optional<ClassifierStream> stream;
  if (o.classifier) stream.emplace(*o.classifier);
  EarlyExitStepper stepper(*model, rule, o.skip, stream ? &*stream : nullptr);
  GenerationOptions options;
  options.max_new_tokens = max_new;
  options.eos_id = eos;
  options.stop_strings = o.stop_strings;
  options.repetition = o.repetition;
  if (tokenizer) options.decode = [&](std::span<const int32_t> out) { return tokenizer->decode(out); };
  const Generation g = generate_early_exit(stepper, ids, options);
  if (args.flag("json")) {
    std::cout << nlohmann::json{{"ids", g.ids},
                                {"text", text_json(tokenizer.get(), g.text)},
                                {"exit_depths", g.exit_depths()},
                                {"blocks_executed", g.blocks_executed},
                                {"blocks_full", g.blocks_full},
                                {"extra_blocks", g.extra_blocks},
                                {"flops_executed", g.flops_executed},
                                {"flops_full", g.flops_full},
                                {"measure", rule.measure.name()},
                                {"threshold", threshold},
                                {"strategy", skip_strategy_name(o.skip, model->config())},
                                {"stop_reason", g.stop_reason}}
                     .dump()
              << "\n";
  } else {
    if (tokenizer) std::cout << g.text << "\n";
    for (size_t i = 0; i < g.ids.size(); ++i) std::cout << (i ? "," : "") << g.ids[i];
    std::cout << "\nexit depths:";
    for (int d : g.exit_depths()) std::cout << " " << d;
    std::cout << "\nblocks executed " << g.blocks_executed << " of " << g.blocks_full << " ("
              << skip_strategy_name(o.skip, model->config()) << ", extra " << g.extra_blocks << ")\n";
  }
  return 0;
}

}  // namespace dynamax::cli
