// dynamax tokenize <model-dir> --text TEXT [--backend sentencepiece|hf] [--json]
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "app/cli/model_folder_arg.h"
#include "core/tokenize/tokenizer.h"

namespace dynamax::cli {

int run_tokenize(const Argv& argv) {
  Args args("tokenize", argv, {"text", "backend"}, {"json"});
  const std::string folder = model_folder_arg(args).string();
  auto text = args.value("text");
  if (!text) throw UsageError("'dynamax tokenize' needs --text TEXT");
  auto tokenizer = load_tokenizer(folder, parse_tokenizer_backend(args.value_or("backend", "auto")));
  const std::vector<int32_t> ids = tokenizer->encode(*text);
  std::vector<std::string> pieces;
  for (int32_t id : ids) pieces.push_back(tokenizer->piece(id));
  if (args.flag("json")) {
    std::cout << nlohmann::json{{"ids", ids}, {"pieces", pieces}}.dump() << "\n";
  } else {
    std::cout << tokenizer->backend_name() << ": " << ids.size() << " tokens\n";
    for (size_t i = 0; i < ids.size(); ++i) std::cout << ids[i] << "\t" << pieces[i] << "\n";
  }
  return 0;
}

}  // namespace dynamax::cli
