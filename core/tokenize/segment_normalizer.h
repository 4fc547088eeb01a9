#pragma once
// How a piece of text between added tokens becomes the words BPE sees: the normalizer and the Metaspace
// pre-tokenizer of a tokenizer.json, for the Llama/Mistral family.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dynamax {

// One normalizer of a tokenizer.json Sequence.
struct NormalizerStep {
  enum class Kind { Prepend, Replace };
  Kind kind;
  std::string pattern;  // Replace: the literal text replaced
  std::string content;  // Prepend: the prefix; Replace: the replacement
};

// The Metaspace pre-tokenizer: spaces become `replacement`, which is also prepended to the text.
struct MetaspaceRule {
  enum class Prepend { Always, First, Never };
  std::string replacement = "\u2581";
  Prepend prepend = Prepend::Always;  // First: only to the segment that starts the text
  bool split = true;                  // each replacement character starts a new word
};

class SegmentNormalizer {
 public:
  SegmentNormalizer(std::vector<NormalizerStep> steps, std::optional<MetaspaceRule> metaspace)
      : steps_(std::move(steps)), metaspace_(std::move(metaspace)) {}

  // The non-empty words of one segment. `starts_text` says whether the segment begins the whole input.
  std::vector<std::string> words(std::string_view segment, bool starts_text) const;

 private:
  std::string normalize(std::string_view segment) const;

  std::vector<NormalizerStep> steps_;
  std::optional<MetaspaceRule> metaspace_;
};

}  // namespace dynamax
