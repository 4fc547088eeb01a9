#pragma once
// Literal find-and-replace, the operation of the Replace normalizer and decoder and of Metaspace.
#include <string>
#include <string_view>

namespace dynamax {

// Every occurrence of `pattern` in `text` replaced by `content` (an empty pattern leaves the text as it is).
inline std::string replace_all(std::string_view text, std::string_view pattern, std::string_view content) {
  if (pattern.empty()) return std::string(text);
  std::string result;
  result.reserve(text.size());
  std::size_t from = 0;
  for (std::size_t at; (at = text.find(pattern, from)) != std::string_view::npos; from = at + pattern.size()) {
    result.append(text, from, at - from);
    result.append(content);
  }
  result.append(text, from);
  return result;
}

}  // namespace dynamax
