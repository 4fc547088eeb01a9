#pragma once
// transformers' clean-up of decoded text (`clean_up_tokenization`), which its tokenizer.decode applies after the
// backend's decode when tokenizer_config.json sets "clean_up_tokenization_spaces": true.
#include <string>
#include <string_view>

namespace dynamax {

// Removes the space before ".", "?", "!", "," and the English contractions n't 'm 's 've 're, and turns " ' "
// into "'": ten literal replacements, each over the whole text in turn, left to right and without overlaps
// (Python's str.replace), in transformers' order; the same list in transformers 4.x and 5. Other spaces, " 'll"
// and " 'd" among them, are kept.
std::string clean_up_tokenization(std::string_view text);

}  // namespace dynamax
