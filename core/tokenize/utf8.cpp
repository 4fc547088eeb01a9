#include "core/tokenize/utf8.h"

namespace dynamax::utf8 {

namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The length a lead byte announces, or 0 when it cannot start a character.
std::size_t announced_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// The sequence at text[pos] when it is well-formed, else 0. The second byte's range rules out
// overlongs (E0, F0), surrogates (ED) and code points past U+10FFFF (F4).
std::size_t valid_sequence_length(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  const std::size_t length = announced_length(lead);
  if (length == 0 || pos + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i)
    if (!is_continuation(static_cast<unsigned char>(text[pos + i]))) return 0;
  if (length >= 3) {
    const auto second = static_cast<unsigned char>(text[pos + 1]);
    if (lead == 0xE0 && second < 0xA0) return 0;
    if (lead == 0xED && second > 0x9F) return 0;
    if (lead == 0xF0 && second < 0x90) return 0;
    if (lead == 0xF4 && second > 0x8F) return 0;
  }
  return length;
}

}  // namespace

std::size_t char_length(std::string_view text, std::size_t pos) {
  const std::size_t length = valid_sequence_length(text, pos);
  return length == 0 ? 1 : length;
}

bool is_valid(std::string_view bytes) {
  for (std::size_t pos = 0; pos < bytes.size();) {
    const std::size_t length = valid_sequence_length(bytes, pos);
    if (length == 0) return false;
    pos += length;
  }
  return true;
}

}  // namespace dynamax::utf8
