// dynamax generate <model-dir> (--ids 1,2,3 | --prompt TEXT) --max-new N [--json]: greedy decoding with the cache.
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/cli/prompt_ids.h"
#include "core/models/greedy.h"
#include "core/tokenize/tokenizer.h"

namespace dynamax::cli {

namespace fs = std::filesystem;

int run_generate(const Argv& argv) {
  Args args("generate", argv, {"ids", "prompt", "max-new"}, {"json", "stop-at-eos"});
  const fs::path folder = args.positional(0, "a model folder");
  const std::vector<int32_t> ids = prompt_ids(args, folder);
  auto model = load_model(folder);
  std::unique_ptr<Tokenizer> tokenizer;
  if (fs::exists(folder / "tokenizer.model") || fs::exists(folder / "tokenizer.json")) tokenizer = load_tokenizer(folder);
  GreedyOptions options;
  options.max_new_tokens = args.int_value("max-new", 32, 1, 1 << 20);
  if (args.flag("stop-at-eos")) options.eos_id = model->config().eos_token_id;
  const std::vector<int32_t> out = greedy_generate(*model, ids, options);
  const std::string text = tokenizer ? tokenizer->decode(out) : std::string();
  if (args.flag("json")) {
    std::cout << nlohmann::json{{"ids", out}, {"text", tokenizer ? nlohmann::json(text) : nlohmann::json(nullptr)}}.dump()
              << "\n";
  } else {
    if (tokenizer) std::cout << text << "\n";
    for (size_t i = 0; i < out.size(); ++i) std::cout << (i ? "," : "") << out[i];
    std::cout << "\n";
  }
  return 0;
}

}  // namespace dynamax::cli
