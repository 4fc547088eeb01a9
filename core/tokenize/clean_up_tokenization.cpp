#include "core/tokenize/clean_up_tokenization.h"

#include <array>
#include <utility>

#include "core/tokenize/replace_all.h"

namespace dynamax {

namespace {

// The order matters: " ' " goes before " 's", so "x ' 's" becomes "x''s", not "x ''s".
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kReplacements{{
    {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
    {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"},
}};

}  // namespace

// The patterns are ASCII, which never occurs inside a UTF-8 multi-byte character: matching bytes is matching
// the code points Python matches.
std::string clean_up_tokenization(std::string_view text) {
  std::string out(text);
  for (const auto& [pattern, content] : kReplacements) out = replace_all(out, pattern, content);
  return out;
}

}  // namespace dynamax
