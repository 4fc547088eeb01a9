#include "core/tokenize/post_processor_json.h"

#include <vector>

#include "core/tokenize/tokenizer_json_fields.h"

namespace dynamax::tokenizer_json {

namespace {

// The ids of one template item {"SpecialToken": {"id": name}}, from the template's special_tokens.
std::vector<int32_t> special_token_ids(const json& templating, const json& item) {
  const std::string name = item.at("SpecialToken").at("id").get<std::string>();
  const json& tokens = templating.at("special_tokens");
  if (!tokens.is_object() || !tokens.contains(name))
    throw Error("post_processor TemplateProcessing names the special token \"" + text_excerpt(name) +
                "\" but does not define it");
  std::vector<int32_t> ids;
  for (const json& id : tokens.at(name).at("ids")) {
    const std::optional<int32_t> value = token_id_value(id);
    if (!value) throw Error("post_processor TemplateProcessing special token id " + json_excerpt(id) + " is invalid");
    ids.push_back(*value);
  }
  return ids;
}

std::optional<int32_t> template_bos(const json& templating) {
  const json& single = templating.at("single");
  if (!single.is_array()) throw Error("post_processor TemplateProcessing \"single\" is not a list");
  std::vector<int32_t> before, after;
  bool text_seen = false;
  for (const json& item : single) {
    if (item.contains("Sequence")) {
      text_seen = true;
    } else if (item.contains("SpecialToken")) {
      for (int32_t id : special_token_ids(templating, item)) (text_seen ? after : before).push_back(id);
    } else {
      throw Error("post_processor TemplateProcessing item " + json_excerpt(item) +
                  " is neither a Sequence nor a SpecialToken");
    }
  }
  if (!after.empty() || before.size() > 1)
    throw Error("post_processor TemplateProcessing adding " + std::to_string(before.size()) +
                " token(s) before the text and " + std::to_string(after.size()) +
                " after it is not supported (only one before: a BOS)");
  return before.empty() ? std::nullopt : std::optional<int32_t>(before.front());
}

void read_into(const json& component, std::optional<int32_t>& bos) {
  const std::string type = type_of(component);
  if (type == "Sequence") {
    for (const json& inner : sequence_items(component, "post_processor", "processors")) read_into(inner, bos);
  } else if (type == "TemplateProcessing") {
    if (auto id = template_bos(component)) bos = id;
  } else if (type != "ByteLevel") {  // ByteLevel only trims offsets
    throw unsupported("post_processor", type, {"ByteLevel", "Sequence", "TemplateProcessing"});
  }
}

}  // namespace

std::optional<int32_t> read_post_processor_bos(const json& post_processor) {
  std::optional<int32_t> bos;
  if (!post_processor.is_null()) read_into(post_processor, bos);
  return bos;
}

}  // namespace dynamax::tokenizer_json
