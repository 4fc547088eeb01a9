#include "core/tokenize/special_token_settings.h"

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/io/json_limits.h"
#include "core/tokenize/tokenizer_files.h"

namespace dynamax {

namespace {

// A token in tokenizer_config.json is written either as its text or as an AddedToken object.
std::optional<std::string> token_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.contains("content")) return value.at("content").get<std::string>();
  return std::nullopt;
}

void read_tokenizer_config(const std::filesystem::path& path, SpecialTokenSettings& settings) {
  const nlohmann::json config = read_json_file(path);
  const char* field = "";
  try {
    if (!config.is_object()) throw Error("expected a JSON object");
    field = "add_bos_token";
    if (auto it = config.find(field); it != config.end() && !it->is_null()) settings.add_bos = it->get<bool>();
    field = "bos_token";
    if (auto it = config.find(field); it != config.end()) {
      if (auto text = token_text(*it)) settings.bos_token = *text;
      else if (it->is_null()) settings.bos_token.clear();
    }
    field = "eos_token";
    if (auto it = config.find(field); it != config.end())
      if (auto text = token_text(*it)) settings.eos_token = *text;
    field = "clean_up_tokenization_spaces";
    if (auto it = config.find(field); it != config.end() && !it->is_null())
      settings.clean_up_tokenization_spaces = it->get<bool>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(path.string() + ": field '" + field + "': " + json_exception_reason(e));
  } catch (const Error& e) {
    throw Error(path.string() + ": " + e.what());
  }
}

std::optional<int32_t> integer_field(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  const int64_t id = it->get<int64_t>();  // load_model_config names an out-of-range id; here it is only a hint
  if (id < 0 || id > INT32_MAX || (it->is_number_unsigned() && it->get<uint64_t>() > INT32_MAX)) return std::nullopt;
  return int32_t(id);
}

void read_model_config(const std::filesystem::path& path, SpecialTokenSettings& settings) {
  const std::string text = read_tokenizer_file(path);
  if (find_excess_json_nesting(text) != std::string::npos) return;  // load_model_config reports it
  const nlohmann::json config = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!config.is_object()) return;
  settings.bos_token_id = integer_field(config, "bos_token_id");
  settings.eos_token_id = integer_field(config, "eos_token_id");
}

}  // namespace

SpecialTokenSettings read_special_token_settings(const std::filesystem::path& model_dir) {
  SpecialTokenSettings settings;
  std::error_code ec;
  if (std::filesystem::exists(model_dir / "tokenizer_config.json", ec))
    read_tokenizer_config(model_dir / "tokenizer_config.json", settings);
  if (std::filesystem::exists(model_dir / "config.json", ec)) read_model_config(model_dir / "config.json", settings);
  return settings;
}

}  // namespace dynamax
