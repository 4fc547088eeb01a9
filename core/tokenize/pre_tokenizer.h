#pragma once
// The pre-tokenizers of a tokenizer.json: each step cuts every piece of text into smaller pieces (and may rewrite
// them), as `tokenizers` does on its PreTokenizedString; BPE then sees each final piece as one word.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenize/icu_regex.h"

namespace dynamax {

class PreTokenizerStep {
 public:
  virtual ~PreTokenizerStep() = default;
  // Replaces `pieces` (non-empty) by their non-empty pieces after this step. `starts_text`: the first piece
  // begins the whole input (Metaspace's "first" prepend scheme needs to know).
  virtual void apply(std::vector<std::string>& pieces, bool starts_text) const = 0;
};
using PreTokenizerSteps = std::vector<std::shared_ptr<const PreTokenizerStep>>;

// What becomes of the text a pattern matches, as `tokenizers`' SplitDelimiterBehavior.
enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

// The Metaspace pre-tokenizer: spaces become `replacement`, which is also prepended to the text.
struct MetaspaceRule {
  enum class Prepend { Always, First, Never };
  std::string replacement = "\u2581";
  Prepend prepend = Prepend::Always;  // First: only to the piece that starts the text
  bool split = true;                  // each replacement character starts a new word
};

std::shared_ptr<const PreTokenizerStep> make_metaspace(MetaspaceRule rule);
// Split: by a regex or a literal string; `invert` splits on what does not match instead.
std::shared_ptr<const PreTokenizerStep> make_split(IcuRegex pattern, SplitBehavior behavior, bool invert);
// ByteLevel: an optional space before each piece, the GPT-2 pattern's pieces (use_regex), then every byte as its
// character of the byte-level alphabet.
std::shared_ptr<const PreTokenizerStep> make_byte_level(bool add_prefix_space, bool use_regex);
// Digits: runs of numeric characters apart, or each one apart (individual_digits).
std::shared_ptr<const PreTokenizerStep> make_digits(bool individual_digits);
// Punctuation: punctuation characters split off with `behavior`.
std::shared_ptr<const PreTokenizerStep> make_punctuation(SplitBehavior behavior);

}  // namespace dynamax
