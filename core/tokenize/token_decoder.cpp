#include "core/tokenize/token_decoder.h"

#include "core/tokenize/byte_level.h"
#include "core/tokenize/replace_all.h"
#include "core/tokenize/utf8.h"

namespace dynamax {

namespace {

int hex_value(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return -1;
}

std::vector<std::string> fuse_bytes(std::vector<std::string> pieces) {
  std::vector<std::string> result;
  result.reserve(pieces.size());
  std::string bytes;
  auto flush = [&] {
    if (bytes.empty()) return;
    if (utf8::is_valid(bytes)) {
      result.push_back(std::move(bytes));
    } else {
      for (std::size_t i = 0; i < bytes.size(); ++i) result.emplace_back(utf8::replacement_character);
    }
    bytes.clear();
  };
  for (std::string& piece : pieces) {
    if (auto byte = byte_of_piece(piece)) {
      bytes.push_back(static_cast<char>(*byte));
      continue;
    }
    flush();
    result.push_back(std::move(piece));
  }
  flush();
  return result;
}

// Removes up to `count` copies of `character` from the front (at_front) or the back of `piece`.
void strip_characters(std::string& piece, const std::string& character, int count, bool at_front) {
  if (character.empty()) return;
  for (int i = 0; i < count; ++i) {
    if (at_front && piece.starts_with(character)) {
      piece.erase(0, character.size());
    } else if (!at_front && piece.ends_with(character)) {
      piece.erase(piece.size() - character.size());
    } else {
      return;
    }
  }
}

std::string join(const std::vector<std::string>& pieces, std::string_view separator) {
  std::string text;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) text += separator;
    text += pieces[i];
  }
  return text;
}

}  // namespace

std::optional<unsigned char> byte_of_piece(const std::string& piece) {
  if (piece.size() != 6 || !piece.starts_with("<0x") || piece.back() != '>') return std::nullopt;
  const int high = hex_value(piece[3]), low = hex_value(piece[4]);
  if (high < 0 || low < 0) return std::nullopt;
  return static_cast<unsigned char>(high * 16 + low);
}

std::string TokenDecoder::decode(std::vector<std::string> pieces) const {
  if (steps_.empty()) return join(pieces, " ");
  for (const DecoderStep& step : steps_) {
    switch (step.kind) {
      case DecoderStep::Kind::Replace:
        for (std::string& piece : pieces) piece = replace_all(piece, step.pattern, step.content);
        break;
      case DecoderStep::Kind::ByteFallback:
        pieces = fuse_bytes(std::move(pieces));
        break;
      case DecoderStep::Kind::Fuse:
        pieces = {join(pieces, "")};
        break;
      case DecoderStep::Kind::Strip:
        for (std::string& piece : pieces) {
          strip_characters(piece, step.content, step.start, /*at_front=*/true);
          strip_characters(piece, step.content, step.stop, /*at_front=*/false);
        }
        break;
      case DecoderStep::Kind::ByteLevel: {
        std::string bytes;
        for (const std::string& piece : pieces) byte_level::append_bytes(piece, bytes);
        pieces = {utf8::to_valid_lossy(bytes)};
        break;
      }
      case DecoderStep::Kind::Metaspace:
        for (std::size_t i = 0; i < pieces.size(); ++i)
          pieces[i] = replace_all(pieces[i], step.pattern, i == 0 && !step.keep_first_marks ? "" : " ");
        break;
    }
  }
  return join(pieces, "");
}

}  // namespace dynamax
