#pragma once
// The tokenizer interface the engine and the tasks use, and the loader that picks a backend for a model folder.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dynamax {

enum class TokenizerBackend { Auto, SentencePiece, HuggingFace };

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  // Text to ids; never adds BOS/EOS (the caller decides, see add_bos).
  virtual std::vector<int32_t> encode(std::string_view text) const = 0;
  // Ids to text as transformers' tokenizer.decode(ids, skip_special_tokens=True) gives it, the text the app shows
  // and scores: special tokens dropped (see is_special), the rest decoded by decode_raw, then, where
  // clean_up_tokenization_spaces is set, clean_up_tokenization applied.
  std::string decode(std::span<const int32_t> ids) const;
  // The backend's own decode, special tokens kept: `tokenizers`' decode(ids, skip_special_tokens=false) for
  // tokenizer.json; sentencepiece's Decode for tokenizer.model (which drops control symbols itself).
  // tokenizer.json leaves out an id without a piece, as `tokenizers` does; sentencepiece throws Error for an id
  // outside its vocabulary.
  virtual std::string decode_raw(std::span<const int32_t> ids) const = 0;
  // Whether decode drops the id: tokenizer.json's added tokens marked "special" (matched by content, as
  // `tokenizers` skips them); sentencepiece's control and unknown pieces (<s>, </s>, <unk>), the special tokens
  // of transformers' Llama tokenizers. An id outside the vocabulary: false for tokenizer.json, Error for
  // sentencepiece.
  virtual bool is_special(int32_t id) const = 0;
  // The vocabulary piece of one id, e.g. "▁Hell" or "<0x0A>". An id outside the vocabulary throws Error.
  virtual std::string piece(int32_t id) const = 0;
  // The piece as the window shows it. A byte-level vocabulary (Llama 3, Qwen2: "Ġthere", "Ċ", "Ã©") gives its bytes
  // in sentencepiece's notation ("▁there", "<0x0A>", "é"; see readable_bytes) and an added token its content; the
  // other backends give the piece itself. An id outside the vocabulary throws Error, as piece does.
  virtual std::string readable_piece(int32_t id) const = 0;
  virtual int vocab_size() const = 0;
  // "sentencepiece" or "hf".
  virtual std::string backend_name() const = 0;

  // From the tokenizer itself, tokenizer_config.json and config.json when present (see load_tokenizer).
  int bos_id = 1, eos_id = 2;
  bool add_bos = true;
  // tokenizer_config.json's clean_up_tokenization_spaces; false where it does not say, as in transformers 5
  // (and 4.45 on; earlier 4.x defaulted to true).
  bool clean_up_tokenization_spaces = false;
};

// Loads the tokenizer of a Hugging Face model folder. Auto takes tokenizer.model when present, else tokenizer.json.
// add_bos comes from tokenizer_config.json's add_bos_token; without it, sentencepiece adds a BOS and tokenizer.json
// does when its post-processor does (TemplateProcessing with a token before the text); bos/eos ids from the tokenizer
// (sentencepiece: its bos/eos ids; tokenizer.json: the ids of tokenizer_config.json's bos_token/eos_token,
// default "<s>"/"</s>"), else from config.json's bos_token_id/eos_token_id.
// Throws Error naming the file and the problem for any missing, unreadable or malformed input.
std::unique_ptr<Tokenizer> load_tokenizer(const std::filesystem::path& model_dir,
                                          TokenizerBackend backend = TokenizerBackend::Auto);

// "sentencepiece", "hf" or "auto"; anything else throws Error.
TokenizerBackend parse_tokenizer_backend(std::string_view name);

}  // namespace dynamax
