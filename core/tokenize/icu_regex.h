#pragma once
// A regular expression of a tokenizer.json (a Split pattern, or the GPT-2 pattern of ByteLevel), matched with
// ICU over UTF-8. Hugging Face `tokenizers` uses Oniguruma; on the patterns of the real files (\p{L}, \p{N}, \s,
// (?i:...), (?!\S)) the two agree, which the reference encodings of tests/data/tokenizers check.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unicode/uversion.h>

U_NAMESPACE_BEGIN
class RegexPattern;
U_NAMESPACE_END

namespace dynamax {

class IcuRegex {
 public:
  enum class Syntax { Regex, Literal };
  // Throws Error naming the pattern, ICU's reason and where, for a pattern ICU cannot compile.
  IcuRegex(const std::string& pattern, Syntax syntax);
  ~IcuRegex();
  IcuRegex(IcuRegex&&) noexcept;

  // The non-empty matches in `text`, left to right, as byte ranges [begin, end). A pattern that backtracks
  // without end throws Error rather than hanging.
  std::vector<std::pair<std::size_t, std::size_t>> find_all(std::string_view text) const;

 private:
  std::string source_;
  std::unique_ptr<icu::RegexPattern> pattern_;
};

}  // namespace dynamax
