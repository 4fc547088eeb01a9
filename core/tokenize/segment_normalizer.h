#pragma once
// How a piece of text between added tokens becomes the words BPE sees: the normalizers and the pre-tokenizers
// of a tokenizer.json.
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenize/pre_tokenizer.h"

namespace dynamax {

// One normalizer of a tokenizer.json Sequence.
struct NormalizerStep {
  enum class Kind { Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase };
  Kind kind;
  std::string pattern{};  // Replace: the literal text replaced
  std::string content{};  // Prepend: the prefix; Replace: the replacement
};

class SegmentNormalizer {
 public:
  SegmentNormalizer(std::vector<NormalizerStep> steps, PreTokenizerSteps pre_tokenizers)
      : steps_(std::move(steps)), pre_tokenizers_(std::move(pre_tokenizers)) {}

  // The non-empty words of one segment. `starts_text` says whether the segment begins the whole input.
  std::vector<std::string> words(std::string_view segment, bool starts_text) const;

 private:
  std::string normalize(std::string_view segment) const;

  std::vector<NormalizerStep> steps_;
  PreTokenizerSteps pre_tokenizers_;
};

}  // namespace dynamax
