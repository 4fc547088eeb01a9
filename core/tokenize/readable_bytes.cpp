#include "core/tokenize/readable_bytes.h"

#include <cstdio>

#include "core/tokenize/utf8.h"

namespace dynamax {

namespace {

constexpr std::string_view kSpaceMark = "\u2581";  // sentencepiece's "▁"

void append_hex_bytes(std::string_view bytes, std::string& text) {
  for (char byte : bytes) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "<0x%02X>", static_cast<unsigned char>(byte));
    text += hex;
  }
}

bool is_control(char32_t code_point) { return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F); }

}  // namespace

std::string readable_bytes(std::string_view bytes) {
  std::string text;
  for (std::size_t pos = 0; pos < bytes.size();) {
    const std::size_t length = utf8::char_length(bytes, pos);
    const std::string_view character = bytes.substr(pos, length);
    pos += length;
    const char32_t code_point = utf8::code_point_at(character, 0, length);
    const bool stray_byte = code_point == 0xFFFD && length == 1;  // not a character on its own
    if (code_point == ' ')
      text += kSpaceMark;
    else if (stray_byte || is_control(code_point))
      append_hex_bytes(character, text);
    else
      text += character;
  }
  return text;
}

}  // namespace dynamax
