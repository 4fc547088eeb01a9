#include "core/io/lenient_json.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/common/error.h"
#include "core/io/json_limits.h"

namespace dynamax {

// Rewrites bare non-finite literals (outside strings) as {"__float__": "..."} so the strict parser accepts them.
static std::string quote_non_finite(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) out += text[++i];
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    bool replaced = false;
    for (std::string_view literal : {"-Infinity", "Infinity", "NaN"}) {
      if (text.substr(i, literal.size()) == literal) {
        out += "{\"__float__\": \"" + std::string(literal) + "\"}";
        i += literal.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += c;
  }
  return out;
}

nlohmann::json parse_lenient_json(std::string_view text, const std::string& source) {
  check_json_nesting(text, source);
  return parse_json_file_text(quote_non_finite(text), source);
}

nlohmann::json read_lenient_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_lenient_json(text.str(), path.string());
}

double json_to_double(const nlohmann::json& value, const std::string& what) {
  if (value.is_number()) return value.get<double>();
  if (value.is_object() && value.contains("__float__") && value["__float__"].is_string()) {
    const std::string s = value["__float__"].get<std::string>();
    if (s == "Infinity" || s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity" || s == "-inf") return -std::numeric_limits<double>::infinity();
    if (s == "NaN" || s == "nan") return std::numeric_limits<double>::quiet_NaN();
  }
  throw Error(what + " is not a number (found " + json_excerpt(value) + ")");
}

}  // namespace dynamax
