#pragma once
// Reading the components of a tokenizer.json: the helpers every section's reader shares.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/io/json_limits.h"

namespace dynamax::tokenizer_json {

using nlohmann::json;

// Runs `read` on one section of the file; a wrong type inside it becomes an Error naming the section.
template <class Read>
auto in_field(const std::string& field, Read read) {
  try {
    return read();
  } catch (const json::exception& e) {
    throw Error("field '" + field + "': " + json_exception_reason(e));
  }
}

// The members of a Sequence component (`list` names them); nlohmann would iterate a lone value as a list of one.
const json& sequence_items(const json& sequence, const char* kind, const char* list);

// A component's "type", cut for messages; "(none)" when it has none.
std::string type_of(const json& component);

// The Error for a component type we do not read: "<kind> type "<type>" is not supported (supported: ...)".
Error unsupported(const char* kind, const std::string& type, std::initializer_list<const char*> supported);

// A boolean member; `fallback` when absent or null.
bool flag(const json& object, const char* name, bool fallback);

// A Replace pattern, which `tokenizers` writes as {"String": "..."} or {"Regex": "..."}: only the first is read.
std::string literal_pattern(const json& replace);

// A token id as the file writes it: an integer from 0 to INT32_MAX, else nothing (a fraction, a number past the
// range, a string...). Callers name the field in their message.
std::optional<int32_t> token_id_value(const json& id);

// A field that `tokenizers` reads as a single character.
std::string single_character(const json& object, const char* name);

}  // namespace dynamax::tokenizer_json
