#include "core/tokenize/bpe_tokenizer.h"

#include <algorithm>

#include "core/common/error.h"

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

std::string BpeTokenizer::decode_raw(std::span<const int32_t> ids) const {
  std::vector<std::string> pieces;
  pieces.reserve(ids.size());
  for (int32_t id : ids) pieces.push_back(piece_ref(id));
  return parts_.decoder.decode(std::move(pieces));
}

// `tokenizers` skips by content: any id whose piece is a special added token's content.
bool BpeTokenizer::is_special(int32_t id) const { return parts_.special_contents.contains(piece_ref(id)); }

std::string BpeTokenizer::piece(int32_t id) const { return piece_ref(id); }

// Added tokens first, then the model, as `tokenizers` looks ids up.
const std::string& BpeTokenizer::piece_ref(int32_t id) const {
  if (auto it = parts_.added_pieces.find(id); it != parts_.added_pieces.end()) return it->second;
  if (const std::string* piece = parts_.model.piece_of(id)) return *piece;
  throw Error("token id " + std::to_string(id) + " is not in the vocabulary of " + std::to_string(vocab_size_));
}

std::optional<int32_t> BpeTokenizer::token_id(std::string_view piece) const {
  for (const auto& [id, content] : parts_.added_pieces)
    if (content == piece) return id;
  return parts_.model.id_of(piece);
}

}  // namespace dynamax
