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

// How many bytes at text[pos] start a valid sequence without completing one (at least 1): the bytes that a
// lossy conversion replaces by one U+FFFD.
std::size_t invalid_prefix_length(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  const std::size_t length = announced_length(lead);
  std::size_t taken = 1;
  for (; taken < length && pos + taken < text.size(); ++taken) {
    const auto byte = static_cast<unsigned char>(text[pos + taken]);
    unsigned char low = 0x80, high = 0xBF;
    if (taken == 1) {
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    }
    if (byte < low || byte > high) break;
  }
  return taken;
}

}  // namespace

std::string to_valid_lossy(std::string_view bytes) {
  std::string text;
  text.reserve(bytes.size());
  for (std::size_t pos = 0; pos < bytes.size();) {
    if (const std::size_t length = valid_sequence_length(bytes, pos)) {
      text.append(bytes, pos, length);
      pos += length;
    } else {
      text.append(replacement_character);
      pos += invalid_prefix_length(bytes, pos);
    }
  }
  return text;
}

std::size_t char_length(std::string_view text, std::size_t pos) {
  const std::size_t length = valid_sequence_length(text, pos);
  return length == 0 ? 1 : length;
}

char32_t code_point_at(std::string_view text, std::size_t pos, std::size_t length) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (length == 1) return lead < 0x80 ? lead : 0xFFFD;
  char32_t code_point = lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i)
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
  return code_point;
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
