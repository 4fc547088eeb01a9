#pragma once
// Limits for JSON read from files we do not control. The values that come out of a parse are walked by
// recursive code (ours and nlohmann's dump and copy), so nesting is bounded before anything is parsed; and a
// value quoted in a message is described in a few words, never dumped whole.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace dynamax {

// Deeper than any file we read needs (tokenizer.json: about 5 levels) and shallow enough for any stack.
inline constexpr int kMaxJsonDepth = 128;

// The byte offset of the first '[' or '{' (outside strings) nested deeper than `max_depth`, or npos.
std::size_t find_excess_json_nesting(std::string_view text, int max_depth = kMaxJsonDepth);

// Throws Error "<source>: line N: JSON nested deeper than 128 levels" when find_excess_json_nesting finds one.
void check_json_nesting(std::string_view text, const std::string& source);

// Parses `text` after check_json_nesting; a syntax error becomes Error "<source>: not valid JSON (...)".
nlohmann::json parse_json_file_text(std::string_view text, const std::string& source);

// nlohmann's message without its "[json.exception.type_error.302] " prefix.
std::string json_exception_reason(const std::exception& e);

// Text for a message: at most 40 bytes of it (cut at a character boundary), then "…" when there was more.
std::string text_excerpt(std::string_view text);

// A value for a message: numbers, booleans and null as written, a string quoted and cut to 40 bytes,
// a list or object by its size ("a list of 3 items").
template <class BasicJson>
std::string json_excerpt(const BasicJson& value);

extern template std::string json_excerpt(const nlohmann::json&);
extern template std::string json_excerpt(const nlohmann::ordered_json&);

}  // namespace dynamax
