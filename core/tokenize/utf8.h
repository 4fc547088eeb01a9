#pragma once
// UTF-8 helpers the tokenizers need: walking text one character at a time and checking byte runs.
#include <cstddef>
#include <string>
#include <string_view>

namespace dynamax::utf8 {

// Length in bytes of the character starting at text[pos]. A malformed or truncated sequence counts as one
// byte, so any input can be walked without reading past its end.
std::size_t char_length(std::string_view text, std::size_t pos);

// The code point of the character of `length` bytes (from char_length) at text[pos]; U+FFFD for a malformed byte.
char32_t code_point_at(std::string_view text, std::size_t pos, std::size_t length);

// True when the bytes are well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid(std::string_view bytes);

// The bytes as UTF-8 with every ill-formed sequence replaced by one U+FFFD: the maximal prefix of a valid
// sequence counts as one (the rule of Rust's String::from_utf8_lossy, which Hugging Face `tokenizers` uses).
std::string to_valid_lossy(std::string_view bytes);

// U+FFFD, what an undecodable byte becomes.
inline constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

}  // namespace dynamax::utf8
