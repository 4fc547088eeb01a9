#include "core/tokenize/bpe_model.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <queue>

#include "core/common/error.h"
#include "core/tokenize/utf8.h"

namespace dynamax {

namespace {

// Far above any real vocabulary; keeps a corrupt id from sizing the id table.
constexpr int32_t kMaxPieceId = 1 << 24;

std::string byte_piece(unsigned byte) {
  char text[8];
  std::snprintf(text, sizeof text, "<0x%02X>", byte);
  return text;
}

// A possible merge of the symbol at `pos` with its right neighbour. Lowest rank first, then leftmost,
// which is the order Hugging Face `tokenizers` applies merges in.
struct Candidate {
  int32_t rank;
  int32_t pos;
  int32_t merged_id;
  bool operator>(const Candidate& other) const {
    return rank != other.rank ? rank > other.rank : pos > other.pos;
  }
};

}  // namespace

// One symbol of a word being merged: a doubly linked list over a vector, so a merge costs O(1).
struct BpeModel::Symbol {
  int32_t id;
  int32_t prev;
  int32_t next;
  bool alive;
};

BpeModel::BpeModel(PieceIds vocab, const std::vector<std::pair<std::string, std::string>>& merges,
                   BpeOptions options)
    : vocab_(std::move(vocab)), options_(std::move(options)) {
  int32_t limit = 0;
  for (const auto& [text, id] : vocab_) {
    if (id < 0 || id >= kMaxPieceId)
      throw Error("vocabulary piece \"" + text + "\" has an invalid id " + std::to_string(id));
    limit = std::max(limit, id + 1);
  }
  pieces_.resize(limit);
  for (const auto& [text, id] : vocab_) pieces_[id] = text;

  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    // Named references, not a structured binding: clang before 16 cannot capture bindings in a lambda.
    const std::string& left = merges[rank].first;
    const std::string& right = merges[rank].second;
    auto require = [&](const std::string& text) {
      auto id = id_of(text);
      if (!id)
        throw Error("merge " + std::to_string(rank) + " (\"" + left + " " + right +
                    "\") names an unknown piece \"" + text + "\"");
      return *id;
    };
    const int32_t left_id = require(left), right_id = require(right), merged_id = require(left + right);
    // As in `tokenizers`, a pair listed twice keeps its last rank.
    merges_.insert_or_assign(left_id, right_id, BpeMerge{static_cast<int32_t>(rank), merged_id});
  }

  if (options_.unk_token) {
    unk_id_ = id_of(*options_.unk_token);
    if (!unk_id_) throw Error("unk_token \"" + *options_.unk_token + "\" is not in the vocabulary");
  }
  byte_ids_.assign(256, -1);
  for (unsigned byte = 0; byte < 256; ++byte) byte_ids_[byte] = id_of(byte_piece(byte)).value_or(-1);
}

std::optional<int32_t> BpeModel::id_of(std::string_view piece) const {
  auto it = vocab_.find(piece);
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

const std::string* BpeModel::piece_of(int32_t id) const {
  if (id < 0 || id >= id_limit() || !pieces_[id]) return nullptr;
  return &*pieces_[id];
}

void BpeModel::encode_word(std::string_view word, std::vector<int32_t>& ids) const {
  // Symbols link to each other by 32-bit index, which keeps the merge loop compact.
  if (word.size() > static_cast<std::size_t>(INT32_MAX)) throw Error("cannot encode a word of 2 GiB or more");
  if (options_.ignore_merges) {
    if (auto id = id_of(word)) {
      ids.push_back(*id);
      return;
    }
  }
  std::vector<Symbol> symbols = initial_symbols(word);
  merge_symbols(symbols);
  for (const Symbol& symbol : symbols)
    if (symbol.alive) ids.push_back(symbol.id);
}

// One symbol per character: its piece, else its byte pieces, else unk.
std::vector<BpeModel::Symbol> BpeModel::initial_symbols(std::string_view word) const {
  std::vector<int32_t> ids;
  ids.reserve(word.size());
  bool previous_was_unknown = false;
  for (std::size_t pos = 0; pos < word.size();) {
    const std::size_t length = utf8::char_length(word, pos);
    const std::string_view character = word.substr(pos, length);
    pos += length;
    if (auto id = id_of(character)) {
      ids.push_back(*id);
      previous_was_unknown = false;
      continue;
    }
    if (options_.byte_fallback) {
      bool all_bytes_known = true;
      for (char byte : character) all_bytes_known &= byte_ids_[static_cast<unsigned char>(byte)] >= 0;
      if (all_bytes_known) {
        for (char byte : character) ids.push_back(byte_ids_[static_cast<unsigned char>(byte)]);
        previous_was_unknown = false;
        continue;
      }
    }
    if (!unk_id_)
      throw Error("cannot encode \"" + std::string(character) +
                  "\": not in the vocabulary, no byte fallback and no unk_token");
    if (!(options_.fuse_unk && previous_was_unknown)) ids.push_back(*unk_id_);
    previous_was_unknown = true;
  }

  std::vector<Symbol> symbols(ids.size());
  const auto count = static_cast<int32_t>(ids.size());
  for (int32_t i = 0; i < count; ++i) symbols[i] = Symbol{ids[i], i - 1, i + 1 < count ? i + 1 : -1, true};
  return symbols;
}

// Applies merges by rank with a priority queue of candidate pairs; entries that went stale when a
// neighbour merged are skipped when they come up. O(n log n) in the word length.
void BpeModel::merge_symbols(std::vector<Symbol>& symbols) const {
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
  auto offer = [&](int32_t pos) {
    const int32_t next = symbols[pos].next;
    if (next < 0) return;
    if (const BpeMerge* merge = merges_.find(symbols[pos].id, symbols[next].id))
      queue.push(Candidate{merge->rank, pos, merge->merged_id});
  };
  for (int32_t pos = 0; pos + 1 < static_cast<int32_t>(symbols.size()); ++pos) offer(pos);

  while (!queue.empty()) {
    const Candidate top = queue.top();
    queue.pop();
    Symbol& left = symbols[top.pos];
    if (!left.alive || left.next < 0) continue;
    Symbol& right = symbols[left.next];
    const BpeMerge* merge = merges_.find(left.id, right.id);
    if (!merge || merge->merged_id != top.merged_id) continue;

    left.id = top.merged_id;
    right.alive = false;
    left.next = right.next;
    if (left.next >= 0) symbols[left.next].prev = top.pos;
    if (left.prev >= 0) offer(left.prev);
    offer(top.pos);
  }
}

}  // namespace dynamax
