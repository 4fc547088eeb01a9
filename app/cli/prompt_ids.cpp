#include "app/cli/prompt_ids.h"

#include "core/tokenize/tokenizer.h"

namespace dynamax::cli {

std::vector<int32_t> prompt_ids(const Args& args, const std::filesystem::path& model_folder) {
  const bool has_ids = args.value("ids").has_value(), has_prompt = args.value("prompt").has_value();
  if (has_ids == has_prompt) throw UsageError("give exactly one of --ids 1,2,3 or --prompt TEXT");
  std::vector<int32_t> ids;
  if (has_ids) {
    for (int id : args.int_list("ids")) ids.push_back(id);
  } else {
    auto tokenizer = load_tokenizer(model_folder);
    if (tokenizer->add_bos) ids.push_back(tokenizer->bos_id);
    for (int32_t id : tokenizer->encode(*args.value("prompt"))) ids.push_back(id);
  }
  if (ids.empty()) throw UsageError("the prompt is empty: give at least one token");
  return ids;
}

}  // namespace dynamax::cli
