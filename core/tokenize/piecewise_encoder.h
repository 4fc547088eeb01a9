#pragma once
// Tokenizes long text a piece at a time, so a reader can stop once it has the ids it needs and obey a cancel flag
// in between, without the memory of one encode call over hundreds of megabytes.
//
// The text is cut at a single space between two ASCII letters or digits ("word word"). Every tokenizer here
// starts a new piece at such a space ("▁word"), so the ids of the pieces, joined, are the ids of the whole text.
// How a piece after a cut must begin is asked of the tokenizer once: without the space where it prepends one
// itself (sentencepiece's dummy prefix, Metaspace), with it otherwise; a tokenizer that fits neither is given
// the text whole. A stretch of more than kMaxPieceBytes without such a space is cut at a character boundary,
// where the ids next to the cut may differ from the whole text's.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace dynamax {

class Tokenizer;

class PiecewiseEncoder {
 public:
  static constexpr std::size_t kPieceBytes = 64 << 10;      // a piece's target size: a few milliseconds to encode
  static constexpr std::size_t kMaxPieceBytes = 1 << 20;    // the longest stretch searched for a cut

  explicit PiecewiseEncoder(const Tokenizer& tokenizer);

  // The ids of `text`, stopping after the piece that brings them to at least `enough` (the rest of the text
  // is not read). `cancel` (may be null) is polled between pieces; when set, throws Cancelled.
  std::vector<int32_t> encode(std::string_view text, std::size_t enough, const std::atomic<bool>* cancel) const;

 private:
  enum class Join { DropSpace, KeepSpace, Whole };
  const Tokenizer& tokenizer_;
  Join join_ = Join::Whole;
};

}  // namespace dynamax
