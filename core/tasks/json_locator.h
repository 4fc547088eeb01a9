#pragma once
// Line numbers for JSON documents: nlohmann::json keeps no positions, so when a record of a parsed document is
// malformed its line is found again in the text. Only used on the error path.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dynamax {

// The 1-based line where the value at `path` starts in `text` (a valid JSON document). `path` holds object keys
// and array indices (as decimal strings), e.g. {"data", "0", "questions", "3"}. Where the path cannot be followed
// (a missing key, an index past the end), the line of the deepest value reached.
std::size_t json_line(std::string_view text, const std::vector<std::string>& path);

// The 1-based line of byte `offset` of `text`.
std::size_t line_of_offset(std::string_view text, std::size_t offset);

}  // namespace dynamax
