#include "core/tokenize/byte_level.h"

#include <array>

namespace dynamax::byte_level {

namespace {

constexpr int kNoByte = -1;
constexpr char32_t kFirstShifted = 0x100;
constexpr std::size_t kCodePoints = kFirstShifted + 256;  // past every character of the alphabet

bool stands_for_itself(unsigned byte) {
  return (byte >= '!' && byte <= '~') || (byte >= 0xA1 && byte <= 0xAC) || (byte >= 0xAE && byte <= 0xFF);
}

std::string utf8_of(char32_t code_point) {
  std::string text;
  if (code_point < 0x80) {
    text += static_cast<char>(code_point);
  } else {  // the alphabet stops below U+0800
    text += static_cast<char>(0xC0 | (code_point >> 6));
    text += static_cast<char>(0x80 | (code_point & 0x3F));
  }
  return text;
}

struct Alphabet {
  std::array<std::string, 256> symbols;
  std::array<int, kCodePoints> byte_of;  // by code point

  Alphabet() {
    byte_of.fill(kNoByte);
    char32_t next = kFirstShifted;
    for (unsigned byte = 0; byte < 256; ++byte) {
      const char32_t code_point = stands_for_itself(byte) ? byte : next++;
      symbols[byte] = utf8_of(code_point);
      byte_of[code_point] = static_cast<int>(byte);
    }
  }
};

const Alphabet& alphabet() {
  static const Alphabet instance;
  return instance;
}

// The byte of the character at piece[pos] (one or two UTF-8 bytes, advanced past), or kNoByte.
int next_byte(std::string_view piece, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(piece[pos]);
  char32_t code_point;
  if (lead < 0x80) {
    code_point = lead;
    pos += 1;
  } else if ((lead & 0xE0) == 0xC0 && pos + 1 < piece.size() &&
             (static_cast<unsigned char>(piece[pos + 1]) & 0xC0) == 0x80) {
    code_point = (char32_t(lead & 0x1F) << 6) | (static_cast<unsigned char>(piece[pos + 1]) & 0x3F);
    pos += 2;
  } else {
    return kNoByte;
  }
  return code_point < kCodePoints ? alphabet().byte_of[code_point] : kNoByte;
}

}  // namespace

const std::string& symbol(unsigned char byte) { return alphabet().symbols[byte]; }

std::string encode(std::string_view bytes) {
  std::string text;
  text.reserve(bytes.size() * 2);
  for (char byte : bytes) text += symbol(static_cast<unsigned char>(byte));
  return text;
}

void append_bytes(std::string_view piece, std::string& bytes) {
  const std::size_t start = bytes.size();
  for (std::size_t pos = 0; pos < piece.size();) {
    const int byte = next_byte(piece, pos);
    if (byte == kNoByte) {
      bytes.resize(start);
      bytes.append(piece);
      return;
    }
    bytes += static_cast<char>(byte);
  }
}

}  // namespace dynamax::byte_level
