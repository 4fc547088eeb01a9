#pragma once
// The decoder of a tokenizer.json: a chain of steps that turns the pieces of a sequence back into text,
// each step working on the whole list of pieces as in Hugging Face `tokenizers`.
#include <optional>
#include <string>
#include <vector>

namespace dynamax {

struct DecoderStep {
  enum class Kind {
    Replace,       // every `pattern` in a piece becomes `content`
    ByteFallback,  // runs of <0xAB> pieces become their UTF-8 text, or one U+FFFD per byte if invalid
    Fuse,          // all pieces joined into one
    Strip,         // up to `start` leading and `stop` trailing `content` characters removed from each piece
    ByteLevel,     // every piece's characters back to the bytes they stand for, all of them as one text (an
                   // ill-formed byte sequence as U+FFFD)
    Metaspace,     // `pattern` (the replacement character) becomes a space, except in the first piece, where
                   // `tokenizers` drops every one unless the prepend scheme was "never" (`keep_first_marks`)
  };
  Kind kind;
  std::string pattern{};
  std::string content{};
  int start = 0;
  int stop = 0;
  bool keep_first_marks = false;
};

class TokenDecoder {
 public:
  // No steps (a tokenizer.json without a decoder) joins the pieces with spaces, as `tokenizers` does.
  explicit TokenDecoder(std::vector<DecoderStep> steps) : steps_(std::move(steps)) {}

  std::string decode(std::vector<std::string> pieces) const;

 private:
  std::vector<DecoderStep> steps_;
};

// The byte of a "<0xAB>" piece, or nothing for any other piece.
std::optional<unsigned char> byte_of_piece(const std::string& piece);

}  // namespace dynamax
