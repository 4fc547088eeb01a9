#include "core/tasks/python_text.h"

#include <unicode/uchar.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "core/common/error.h"

namespace dynamax::pytext {

std::u32string decode(std::string_view utf8, std::string_view what) {
  std::u32string out;
  out.reserve(utf8.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t length = int32_t(utf8.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) throw Error(std::string(what) + ": invalid UTF-8 at byte " + std::to_string(start));
    out.push_back(char32_t(c));
  }
  return out;
}

std::string encode(std::u32string_view text) {
  std::string out;
  for (char32_t c : text) {
    uint8_t buffer[U8_MAX_LENGTH];
    int32_t n = 0;
    [[maybe_unused]] UBool unencodable = false;  // code points come from decode() or ICU: always encodable
    U8_APPEND(buffer, n, U8_MAX_LENGTH, UChar32(c), unencodable);
    out.append(reinterpret_cast<const char*>(buffer), size_t(n));
  }
  return out;
}

std::u32string lower(std::u32string_view text) {
  // The root locale: no Turkish or Lithuanian rules, as in Python; Final_Sigma applies by context in both.
  icu::UnicodeString s = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(text.data()), int32_t(text.size()));
  s.toLower(icu::Locale::getRoot());
  std::u32string out(size_t(s.countChar32()), U'\0');
  UErrorCode status = U_ZERO_ERROR;
  s.toUTF32(reinterpret_cast<UChar32*>(out.data()), int32_t(out.size()), status);
  if (U_FAILURE(status)) throw Error(std::string("lower-casing failed: ") + u_errorName(status));
  return out;
}

bool is_space(char32_t c) {
  const UCharDirection d = u_charDirection(UChar32(c));
  return d == U_WHITE_SPACE_NEUTRAL || d == U_BLOCK_SEPARATOR || d == U_SEGMENT_SEPARATOR ||
         u_charType(UChar32(c)) == U_SPACE_SEPARATOR;
}

bool is_word(char32_t c) {
  if (c == U'_') return true;
  const int8_t type = u_charType(UChar32(c));
  const bool alpha = type == U_UPPERCASE_LETTER || type == U_LOWERCASE_LETTER || type == U_TITLECASE_LETTER ||
                     type == U_MODIFIER_LETTER || type == U_OTHER_LETTER;
  return alpha || u_getIntPropertyValue(UChar32(c), UCHAR_NUMERIC_TYPE) != U_NT_NONE;
}

bool is_punctuation(char32_t c) { return (U_GET_GC_MASK(UChar32(c)) & U_GC_P_MASK) != 0; }
bool is_symbol(char32_t c) { return (U_GET_GC_MASK(UChar32(c)) & U_GC_S_MASK) != 0; }
bool is_number(char32_t c) { return (U_GET_GC_MASK(UChar32(c)) & U_GC_N_MASK) != 0; }

bool is_ascii_punctuation(char32_t c) {
  return (c >= U'!' && c <= U'/') || (c >= U':' && c <= U'@') || (c >= U'[' && c <= U'`') || (c >= U'{' && c <= U'~');
}

std::vector<std::u32string> split(std::u32string_view text) {
  std::vector<std::u32string> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    size_t end = i;
    while (end < text.size() && !is_space(text[end])) ++end;
    if (end > i) words.emplace_back(text.substr(i, end - i));
    i = end;
  }
  return words;
}

std::u32string strip(std::u32string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return std::u32string(text);
}

std::u32string join(const std::vector<std::u32string>& words, std::u32string_view separator) {
  std::u32string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i) out += separator;
    out += words[i];
  }
  return out;
}

}  // namespace dynamax::pytext
