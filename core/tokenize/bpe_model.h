#pragma once
// The BPE model of a tokenizer.json: a vocabulary, merges ranked by their order, and what to do with characters
// the vocabulary lacks. It turns one word (already normalised) into ids the way Hugging Face `tokenizers` does.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/tokenize/merge_table.h"

namespace dynamax {

// Hashes std::string and std::string_view alike, so lookups need no temporary strings.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};
using PieceIds = std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>;

struct BpeOptions {
  std::optional<std::string> unk_token;  // what an unknown character becomes when byte fallback cannot help
  bool byte_fallback = false;            // unknown characters become their <0xAB> byte pieces
  bool fuse_unk = false;                 // consecutive unknowns become a single unk
  bool ignore_merges = false;            // a word that is a piece as a whole is taken as it is
};

class BpeModel {
 public:
  // Throws Error when a merge or the unk token names a piece the vocabulary lacks.
  BpeModel(PieceIds vocab, const std::vector<std::pair<std::string, std::string>>& merges, BpeOptions options);

  // Appends the ids of one word to `ids`.
  void encode_word(std::string_view word, std::vector<int32_t>& ids) const;

  std::optional<int32_t> id_of(std::string_view piece) const;
  // The piece of an id, or nullptr when no piece has it.
  const std::string* piece_of(int32_t id) const;
  // One past the largest id.
  int32_t id_limit() const { return static_cast<int32_t>(pieces_.size()); }

 private:
  struct Symbol;

  std::vector<Symbol> initial_symbols(std::string_view word) const;
  void merge_symbols(std::vector<Symbol>& symbols) const;

  PieceIds vocab_;
  std::vector<std::optional<std::string>> pieces_;  // by id
  MergeTable merges_;
  std::optional<int32_t> unk_id_;
  std::vector<int32_t> byte_ids_;                    // id of <0xAB> by byte, -1 when absent
  BpeOptions options_;
};

}  // namespace dynamax
