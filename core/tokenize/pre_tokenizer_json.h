#pragma once
// Reads the pre_tokenizer section of a tokenizer.json into pre-tokenizer steps.
#include <nlohmann/json.hpp>

#include "core/tokenize/pre_tokenizer.h"

namespace dynamax::tokenizer_json {

struct PreTokenizerReading {
  PreTokenizerSteps steps;
  bool byte_level = false;  // a ByteLevel step: every piece is made of byte-level characters
};

// Metaspace, Split (Regex or String pattern), ByteLevel, Digits, Punctuation and Sequence of these; any other
// type, a bad regex or an unknown behavior throws Error naming it.
PreTokenizerReading read_pre_tokenizer(const nlohmann::json& pre_tokenizer);

// Metaspace's prepend_scheme (or the older add_prefix_space), for the pre-tokenizer and the decoder.
MetaspaceRule::Prepend read_prepend_scheme(const nlohmann::json& metaspace);

}  // namespace dynamax::tokenizer_json
