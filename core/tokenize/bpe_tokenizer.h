#pragma once
// Our own tokenizer.json backend: added tokens split out of the text, then the normalizers and pre-tokenizers,
// then BPE by merge rank (with byte fallback where the file asks); decoding by the file's decoder.
// It reproduces Hugging Face `tokenizers` on these files (see tests/core/test_tokenizer.cpp).
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/tokenize/added_token_splitter.h"
#include "core/tokenize/bpe_model.h"
#include "core/tokenize/segment_normalizer.h"
#include "core/tokenize/token_decoder.h"
#include "core/tokenize/tokenizer.h"

namespace dynamax {

class BpeTokenizer final : public Tokenizer {
 public:
  struct Parts {
    BpeModel model;
    AddedTokenSplitter added_tokens;
    std::unordered_map<int32_t, std::string> added_pieces;  // id -> content of each added token
    SegmentNormalizer normalizer;
    TokenDecoder decoder;
    std::optional<int32_t> post_processor_bos;  // the token the post-processor puts before the text, if any
    std::unordered_set<std::string> special_contents;  // the contents of the added tokens marked special
    bool byte_level_pieces = false;  // the vocabulary is in the byte-level alphabet ("Ġthere")
  };

  explicit BpeTokenizer(Parts parts);

  std::vector<int32_t> encode(std::string_view text) const override;
  std::string decode_raw(std::span<const int32_t> ids) const override;
  bool is_special(int32_t id) const override;
  std::string piece(int32_t id) const override;
  std::string readable_piece(int32_t id) const override;
  int vocab_size() const override { return vocab_size_; }
  std::string backend_name() const override { return "hf"; }

  // The id of a piece or added token, e.g. "<s>".
  std::optional<int32_t> token_id(std::string_view piece) const;
  // What `tokenizers` adds before the text when encoding with special tokens (the BOS of its post-processor).
  std::optional<int32_t> post_processor_bos() const { return parts_.post_processor_bos; }

 private:
  const std::string* find_piece(int32_t id) const;  // null when the id has no piece
  const std::string& piece_ref(int32_t id) const;

  Parts parts_;
  int vocab_size_;
};

}  // namespace dynamax
