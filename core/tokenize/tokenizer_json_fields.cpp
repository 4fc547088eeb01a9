#include "core/tokenize/tokenizer_json_fields.h"

#include "core/tokenize/utf8.h"

namespace dynamax::tokenizer_json {

const json& sequence_items(const json& sequence, const char* kind, const char* list) {
  const json& items = sequence.at(list);
  if (!items.is_array()) throw Error(std::string(kind) + " Sequence: \"" + list + "\" is not a list");
  return items;
}

std::string type_of(const json& component) {
  if (!component.is_object()) throw Error("a component is " + json_excerpt(component) + ", not an object");
  auto it = component.find("type");
  // Cut: a type is quoted in messages, and a known one is short anyway.
  return it != component.end() && it->is_string() ? text_excerpt(it->get<std::string>()) : std::string("(none)");
}

Error unsupported(const char* kind, const std::string& type, std::initializer_list<const char*> supported) {
  std::string list;
  for (const char* name : supported) list += (list.empty() ? "" : ", ") + std::string(name);
  return Error(std::string(kind) + " type \"" + type + "\" is not supported (supported: " + list + ")");
}

bool flag(const json& object, const char* name, bool fallback) {
  auto it = object.find(name);
  return it == object.end() || it->is_null() ? fallback : it->get<bool>();
}

std::string literal_pattern(const json& replace) {
  const json& pattern = replace.at("pattern");
  if (!pattern.contains("String"))
    throw Error("Replace with pattern " + json_excerpt(pattern) + " is not supported (only literal strings)");
  return pattern.at("String").get<std::string>();
}

std::string single_character(const json& object, const char* name) {
  const std::string text = object.at(name).get<std::string>();
  if (text.empty() || utf8::char_length(text, 0) != text.size())
    throw Error(std::string(name) + " \"" + text_excerpt(text) + "\" is not a single character");
  return text;
}

std::optional<int32_t> token_id_value(const json& id) {
  if (!id.is_number_integer()) return std::nullopt;  // get<> would cut a fraction, and is undefined past int64
  if (id.is_number_unsigned()) {
    const uint64_t u = id.get<uint64_t>();
    return u <= uint64_t(INT32_MAX) ? std::optional<int32_t>(int32_t(u)) : std::nullopt;
  }
  const int64_t v = id.get<int64_t>();
  return v >= 0 && v <= INT32_MAX ? std::optional<int32_t>(int32_t(v)) : std::nullopt;
}

}  // namespace dynamax::tokenizer_json
