#pragma once
// The ranges a workspace's values must keep. Every value read from a workspace is untrusted (a bit flip, a hand
// edit, another program): readers check it against these before using it as a size or an index, and name the
// table and row of one that is outside.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/io/json_limits.h"

namespace dynamax {

inline constexpr int64_t kMaxDepths = 4096;          // blocks of a model (7B models have 32 to 64)
inline constexpr int64_t kMaxVocabulary = 1 << 24;   // token ids (real vocabularies: 32 k to 256 k)
inline constexpr int64_t kMaxPositions = 1 << 24;    // tokens of one sample
inline constexpr int64_t kMaxTopK = 1000;            // what `record --top-k` accepts
inline constexpr int64_t kMaxClassifiers = 256;      // classifiers scored in one run

// "depth 999 is outside 1..16"
inline std::string out_of_range(const char* column, int64_t value, int64_t lo, int64_t hi) {
  return std::string(column) + " " + std::to_string(value) + " is outside " + std::to_string(lo) + ".." +
         std::to_string(hi);
}

// A name from the file, cut short for a message.
inline std::string shortened(const std::string& text) { return text.size() > 40 ? text.substr(0, 40) + "…" : text; }

// JSON stored in a workspace (configs, records, metrics): a discarded value, which every caller reports as not the
// JSON it expects, when it is not JSON or nests deeper than kMaxJsonDepth (a parse would recurse that deep).
inline nlohmann::json parse_stored_json(const std::string& text) {
  if (find_excess_json_nesting(text) != std::string::npos) return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace dynamax
