#include "core/io/json_limits.h"

#include <algorithm>

#include "core/common/error.h"
#include "core/tokenize/utf8.h"

namespace dynamax {

std::size_t find_excess_json_nesting(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if (c == ']' || c == '}') {
      depth = std::max(0, depth - 1);
    }
  }
  return std::string_view::npos;
}

void check_json_nesting(std::string_view text, const std::string& source) {
  const std::size_t at = find_excess_json_nesting(text);
  if (at == std::string_view::npos) return;
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  throw Error(source + ": line " + std::to_string(line) + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
              " levels");
}

nlohmann::json parse_json_file_text(std::string_view text, const std::string& source) {
  check_json_nesting(text, source);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(source + ": not valid JSON (" + json_exception_reason(e) + ")");
  }
}

std::string json_exception_reason(const std::exception& e) {
  const std::string what = e.what();
  if (what.rfind("[json.exception.", 0) != 0) return what;
  const std::size_t close = what.find("] ");
  return close == std::string::npos ? what : what.substr(close + 2);
}

namespace {

constexpr std::size_t kExcerptBytes = 40;

std::string count_of(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string text_excerpt(std::string_view text) {
  if (text.size() <= kExcerptBytes) return std::string(text);
  std::size_t cut = 0;  // at a character boundary, so the excerpt stays valid UTF-8
  while (cut < kExcerptBytes) cut += utf8::char_length(text, cut);
  return std::string(text.substr(0, cut)) + "…";
}

template <class BasicJson>
std::string json_excerpt(const BasicJson& value) {
  if (value.is_array()) return "a list of " + count_of(value.size(), "item", "items");
  if (value.is_object()) return "an object of " + count_of(value.size(), "member", "members");
  constexpr auto replace = BasicJson::error_handler_t::replace;  // a message must not throw on bad UTF-8
  if (!value.is_string()) return value.dump();
  const std::string& text = value.template get_ref<const std::string&>();
  if (text.size() <= kExcerptBytes) return BasicJson(text).dump(-1, ' ', false, replace);
  const std::string cut = text_excerpt(text);
  return BasicJson(cut.substr(0, cut.size() - std::string_view("…").size())).dump(-1, ' ', false, replace) + "… (" +
         std::to_string(text.size()) + " bytes)";
}

template std::string json_excerpt(const nlohmann::json&);
template std::string json_excerpt(const nlohmann::ordered_json&);

}  // namespace dynamax
