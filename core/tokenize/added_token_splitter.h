#pragma once
// Cuts the added tokens of a tokenizer.json (e.g. <unk>, <s>, </s>) out of raw text before normalisation,
// as Hugging Face `tokenizers` does: at each position the longest added token that matches wins.
// Every added token is matched in the raw text, which is what `tokenizers` does for "normalized": false
// tokens (all the special tokens of the Llama, Mistral, Qwen2, GPT-NeoX and Falcon files; GPT-NeoX's normalized
// whitespace-run tokens come out the same, as NFC leaves spaces alone); lstrip/rstrip/single_word are not applied.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <functional>
#include <map>
#include <unordered_map>
#include <vector>

namespace dynamax {

struct TextSegment {
  std::string_view text;
  std::size_t offset;  // where it starts in the input
  int32_t token_id;    // the added token's id, or -1 for ordinary text
};

class AddedTokenSplitter {
 public:
  void add(std::string content, int32_t id);

  // The input as consecutive non-empty segments, added tokens as their own segments.
  std::vector<TextSegment> split(std::string_view text) const;

 private:
  struct Candidate {
    std::string content;
    int32_t id;
  };
  // The longest added token at text[pos], or nullptr.
  const Candidate* match_at(std::string_view text, std::size_t pos) const;

  // By first byte, then by length, longest first (equal lengths in the order added), so a match is found with a
  // few comparisons and each add costs a logarithm (files with tens of thousands of added tokens exist).
  using ByLength = std::multimap<std::size_t, Candidate, std::greater<>>;
  std::unordered_map<unsigned char, ByLength> by_first_byte_;
};

}  // namespace dynamax
