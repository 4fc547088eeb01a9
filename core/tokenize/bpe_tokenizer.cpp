#include "core/tokenize/bpe_tokenizer.h"

#include <algorithm>

#include "core/common/error.h"
#include "core/tokenize/byte_level.h"
#include "core/tokenize/readable_bytes.h"

namespace dynamax {

BpeTokenizer::BpeTokenizer(Parts parts) : parts_(std::move(parts)), vocab_size_(parts_.model.id_limit()) {
  for (const auto& [id, content] : parts_.added_pieces) vocab_size_ = std::max(vocab_size_, id + 1);
}

std::vector<int32_t> BpeTokenizer::encode(std::string_view text) const {
  std::vector<int32_t> ids;
  for (const TextSegment& segment : parts_.added_tokens.split(text)) {
    if (segment.token_id >= 0) {
      ids.push_back(segment.token_id);
      continue;
    }
    for (const std::string& word : parts_.normalizer.words(segment.text, segment.offset == 0))
      parts_.model.encode_word(word, ids);
  }
  return ids;
}

// An id with no piece is left out, as `tokenizers` does: a model's vocab_size is often padded past its tokenizer
// (Qwen2.5-7B: 152,064 rows for 151,665 tokens), and a generation may still pick such a row.
std::string BpeTokenizer::decode_raw(std::span<const int32_t> ids) const {
  std::vector<std::string> pieces;
  pieces.reserve(ids.size());
  for (int32_t id : ids)
    if (const std::string* known = find_piece(id)) pieces.push_back(*known);
  return parts_.decoder.decode(std::move(pieces));
}

// `tokenizers` skips by content: any id whose piece is a special added token's content.
bool BpeTokenizer::is_special(int32_t id) const {
  const std::string* piece = find_piece(id);
  return piece && parts_.special_contents.contains(*piece);
}

std::string BpeTokenizer::piece(int32_t id) const { return piece_ref(id); }

std::string BpeTokenizer::readable_piece(int32_t id) const {
  const std::string& vocabulary_piece = piece_ref(id);
  if (!parts_.byte_level_pieces || parts_.added_pieces.contains(id)) return vocabulary_piece;  // added: its content
  std::string bytes;
  byte_level::append_bytes(vocabulary_piece, bytes);
  return readable_bytes(bytes);
}

// Added tokens first, then the model, as `tokenizers` looks ids up.
const std::string* BpeTokenizer::find_piece(int32_t id) const {
  if (auto it = parts_.added_pieces.find(id); it != parts_.added_pieces.end()) return &it->second;
  return parts_.model.piece_of(id);
}

const std::string& BpeTokenizer::piece_ref(int32_t id) const {
  if (const std::string* piece = find_piece(id)) return *piece;
  throw Error("token id " + std::to_string(id) + " is not in the vocabulary of " + std::to_string(vocab_size_));
}

std::optional<int32_t> BpeTokenizer::token_id(std::string_view piece) const {
  for (const auto& [id, content] : parts_.added_pieces)
    if (content == piece) return id;
  return parts_.model.id_of(piece);
}

}  // namespace dynamax
