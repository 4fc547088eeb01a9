#pragma once
// UTF-8 helpers the tokenizers need: walking text one character at a time and checking byte runs.
#include <cstddef>
#include <string_view>

namespace dynamax::utf8 {

// Length in bytes of the character starting at text[pos]. A malformed or truncated sequence counts as one
// byte, so any input can be walked without reading past its end.
std::size_t char_length(std::string_view text, std::size_t pos);

// True when the bytes are well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid(std::string_view bytes);

// U+FFFD, what an undecodable byte becomes.
inline constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

}  // namespace dynamax::utf8
