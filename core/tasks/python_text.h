#pragma once
// The pieces of Python's text semantics that the official metric scripts rely on, exact for all of Unicode
// (character data from ICU):
//  - str.lower(): full lower-case mapping (one character may become two: U+0130 → "i̇"), final sigma by context;
//  - str.split() / str.strip(): the separators of Py_UNICODE_ISSPACE (bidi classes WS, B, S, or category Zs:
//    no-break, em and ideographic spaces count; zero-width space does not);
//  - re's \w for str patterns: Python's str.isalnum() (letters and numeric characters) or '_';
//  - the `regex` module's \p{P}, \p{S}, \p{N} (Unicode general categories), used by sacrebleu.
// Text arrives as UTF-8; malformed input is refused with its byte offset rather than guessed at.
#include <string>
#include <string_view>
#include <vector>

namespace dynamax::pytext {

// Code points of UTF-8 text; throws Error("<what>: invalid UTF-8 at byte N") at the first malformed sequence.
std::u32string decode(std::string_view utf8, std::string_view what);
std::string encode(std::u32string_view text);

std::u32string lower(std::u32string_view text);
bool is_space(char32_t c);
bool is_word(char32_t c);
bool is_punctuation(char32_t c);  // \p{P}
bool is_symbol(char32_t c);       // \p{S}
bool is_number(char32_t c);       // \p{N}
// string.punctuation: the 32 ASCII punctuation characters !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~.
bool is_ascii_punctuation(char32_t c);

std::vector<std::u32string> split(std::u32string_view text);
std::u32string strip(std::u32string_view text);
std::u32string join(const std::vector<std::u32string>& words, std::u32string_view separator = U" ");

}  // namespace dynamax::pytext
