#include "core/tokenize/piecewise_encoder.h"

#include "core/common/error.h"
#include "core/tokenize/tokenizer.h"

namespace dynamax {

namespace {

bool ascii_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::vector<int32_t> joined(std::vector<int32_t> a, const std::vector<int32_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A space between two ASCII letters or digits.
bool is_cut(std::string_view text, std::size_t i) {
  return i > 0 && i + 1 < text.size() && text[i] == ' ' && ascii_alnum(text[i - 1]) && ascii_alnum(text[i + 1]);
}

}  // namespace

PiecewiseEncoder::PiecewiseEncoder(const Tokenizer& tokenizer) : tokenizer_(tokenizer) {
  const std::vector<int32_t> whole = tokenizer.encode("hello world"), left = tokenizer.encode("hello");
  if (whole == joined(left, tokenizer.encode("world"))) join_ = Join::DropSpace;
  else if (whole == joined(left, tokenizer.encode(" world"))) join_ = Join::KeepSpace;
}

std::vector<int32_t> PiecewiseEncoder::encode(std::string_view text, std::size_t enough,
                                              const std::atomic<bool>* cancel) const {
  std::vector<int32_t> ids;
  std::size_t start = 0;
  while (start < text.size() && ids.size() < enough) {
    if (cancel && cancel->load()) throw Cancelled();
    std::size_t end = text.size(), next = text.size();
    if (join_ != Join::Whole && text.size() - start > kPieceBytes) {
      const std::size_t near = start + kPieceBytes, far = std::min(text.size(), start + kMaxPieceBytes);
      // The last cut before `near`, else the first after it, else a character boundary.
      std::size_t cut = near;
      while (cut > start && !is_cut(text, cut)) --cut;
      if (cut == start)
        for (cut = near; cut < far && !is_cut(text, cut);) ++cut;
      if (cut < far) {
        end = cut;
        next = join_ == Join::DropSpace ? cut + 1 : cut;
      } else {
        for (end = near; end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80;) ++end;
        next = end;
      }
    }
    const std::vector<int32_t> piece = tokenizer_.encode(text.substr(start, end - start));
    ids.insert(ids.end(), piece.begin(), piece.end());
    start = next;
  }
  return ids;
}

}  // namespace dynamax
