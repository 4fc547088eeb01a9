#include "core/tokenize/icu_regex.h"

#include <unicode/regex.h>
#include <unicode/utext.h>

#include "core/common/error.h"

namespace dynamax {

namespace {

// ICU counts its time limit in steps of its matcher (a few million per second); a real pattern needs far fewer
// per piece of text, a catastrophically backtracking one far more.
constexpr int32_t kTimeLimitSteps = 10'000;

std::string excerpt(const std::string& pattern) {
  return pattern.size() <= 80 ? pattern : pattern.substr(0, 77) + "...";
}

struct UTextCloser {
  void operator()(UText* text) const { utext_close(text); }
};

}  // namespace

IcuRegex::IcuRegex(const std::string& pattern, Syntax syntax) : source_(pattern) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError where{};
  // Oniguruma's default (Ruby) syntax lets ^ and $ match at line ends.
  const uint32_t flags = syntax == Syntax::Literal ? UREGEX_LITERAL : UREGEX_MULTILINE;
  pattern_.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), flags, where, status));
  if (U_FAILURE(status))
    throw Error("regex \"" + excerpt(pattern) + "\" is invalid: " + u_errorName(status) + " at character " +
                std::to_string(where.offset));
}

IcuRegex::~IcuRegex() = default;
IcuRegex::IcuRegex(IcuRegex&&) noexcept = default;

std::vector<std::pair<std::size_t, std::size_t>> IcuRegex::find_all(std::string_view text) const {
  std::vector<std::pair<std::size_t, std::size_t>> matches;
  if (text.empty()) return matches;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UText, UTextCloser> input(
      utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
  std::unique_ptr<icu::RegexMatcher> matcher(pattern_->matcher(status));
  if (U_FAILURE(status)) throw Error(std::string("regex matcher: ") + u_errorName(status));
  matcher->reset(input.get());
  matcher->setTimeLimit(kTimeLimitSteps, status);
  while (matcher->find(status)) {
    const int64_t begin = matcher->start64(status), end = matcher->end64(status);
    if (U_FAILURE(status)) break;
    if (end > begin) matches.emplace_back(static_cast<std::size_t>(begin), static_cast<std::size_t>(end));
  }
  if (status == U_REGEX_TIME_OUT)
    throw Error("regex \"" + excerpt(source_) + "\" takes too long on a text of " + std::to_string(text.size()) +
                " bytes (it backtracks without end)");
  if (U_FAILURE(status)) throw Error("regex \"" + excerpt(source_) + "\": " + u_errorName(status));
  return matches;
}

}  // namespace dynamax
