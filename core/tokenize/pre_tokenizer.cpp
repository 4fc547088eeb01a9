#include "core/tokenize/pre_tokenizer.h"

#include <functional>
#include <utility>

#include "core/tokenize/byte_level.h"
#include "core/tokenize/replace_all.h"
#include "core/tokenize/unicode_forms.h"
#include "core/tokenize/utf8.h"

namespace dynamax {

namespace {

using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;

// The GPT-2 pattern of the ByteLevel pre-tokenizer.
constexpr const char* kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

struct Span {
  std::size_t begin, end;
  bool is_match;
};

// The text cut into alternating spans of non-matches and matches, covering all of it.
std::vector<Span> spans_of(std::size_t size, const Ranges& matches, bool invert) {
  std::vector<Span> spans;
  std::size_t at = 0;
  for (const auto& [begin, end] : matches) {
    if (begin > at) spans.push_back({at, begin, invert});
    spans.push_back({begin, end, !invert});
    at = end;
  }
  if (at < size) spans.push_back({at, size, invert});
  return spans;
}

// Joins matches to their neighbours as `behavior` says, as `tokenizers`' NormalizedString::split does (a match
// merges only into a non-match; two matches in a row stay apart unless Contiguous).
std::vector<Span> apply_behavior(std::vector<Span> spans, SplitBehavior behavior) {
  std::vector<Span> kept;
  bool previous_match = false;
  switch (behavior) {
    case SplitBehavior::Isolated:
      return spans;
    case SplitBehavior::Removed:
      for (const Span& span : spans)
        if (!span.is_match) kept.push_back(span);
      return kept;
    case SplitBehavior::Contiguous:
      for (const Span& span : spans) {
        if (!kept.empty() && span.is_match == previous_match) kept.back().end = span.end;
        else kept.push_back(span);
        previous_match = span.is_match;
      }
      return kept;
    case SplitBehavior::MergedWithPrevious:
      for (const Span& span : spans) {
        if (span.is_match && !previous_match && !kept.empty()) kept.back().end = span.end;
        else kept.push_back(span);
        previous_match = span.is_match;
      }
      return kept;
    case SplitBehavior::MergedWithNext:
      for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
        if (it->is_match && !previous_match && !kept.empty()) kept.back().begin = it->begin;
        else kept.push_back(*it);
        previous_match = it->is_match;
      }
      return {kept.rbegin(), kept.rend()};
  }
  return spans;
}

void append_pieces(std::string_view text, const Ranges& matches, SplitBehavior behavior, bool invert,
                   std::vector<std::string>& out) {
  for (const Span& span : apply_behavior(spans_of(text.size(), matches, invert), behavior))
    if (span.end > span.begin) out.emplace_back(text.substr(span.begin, span.end - span.begin));
}

// Each character for which `wanted` holds, as a match of its own.
Ranges character_matches(std::string_view text, const std::function<bool(char32_t)>& wanted) {
  Ranges matches;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t length = utf8::char_length(text, pos);
    if (wanted(utf8::code_point_at(text, pos, length))) matches.emplace_back(pos, pos + length);
    pos += length;
  }
  return matches;
}

class MetaspaceStep final : public PreTokenizerStep {
 public:
  explicit MetaspaceStep(MetaspaceRule rule) : rule_(std::move(rule)) {}

  void apply(std::vector<std::string>& pieces, bool starts_text) const override {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < pieces.size(); ++i) words(pieces[i], starts_text && i == 0, out);
    pieces = std::move(out);
  }

 private:
  void words(std::string_view piece, bool starts_text, std::vector<std::string>& out) const {
    const std::string& mark = rule_.replacement;
    std::string text = replace_all(piece, " ", mark);
    // As `tokenizers` does: no second mark when the text already starts with one.
    const bool prepend = rule_.prepend == MetaspaceRule::Prepend::Always ||
                         (rule_.prepend == MetaspaceRule::Prepend::First && starts_text);
    if (prepend && !text.starts_with(mark)) text.insert(0, mark);
    if (!rule_.split) {
      out.push_back(std::move(text));
      return;
    }
    // Each mark begins a new word, as split with MergedWithNext does.
    std::size_t start = 0;
    for (std::size_t at = text.find(mark, 1); at != std::string::npos; at = text.find(mark, at + mark.size())) {
      out.push_back(text.substr(start, at - start));
      start = at;
    }
    out.push_back(text.substr(start));
  }

  MetaspaceRule rule_;
};

class SplitStep final : public PreTokenizerStep {
 public:
  SplitStep(IcuRegex pattern, SplitBehavior behavior, bool invert)
      : pattern_(std::move(pattern)), behavior_(behavior), invert_(invert) {}

  void apply(std::vector<std::string>& pieces, bool) const override {
    std::vector<std::string> out;
    for (const std::string& piece : pieces) append_pieces(piece, pattern_.find_all(piece), behavior_, invert_, out);
    pieces = std::move(out);
  }

 private:
  IcuRegex pattern_;
  SplitBehavior behavior_;
  bool invert_;
};

class ByteLevelStep final : public PreTokenizerStep {
 public:
  ByteLevelStep(bool add_prefix_space, bool use_regex) : add_prefix_space_(add_prefix_space) {
    if (use_regex) pattern_ = std::make_unique<IcuRegex>(kGpt2Pattern, IcuRegex::Syntax::Regex);
  }

  void apply(std::vector<std::string>& pieces, bool) const override {
    std::vector<std::string> out;
    for (std::string& piece : pieces) {
      if (add_prefix_space_ && !piece.starts_with(' ')) piece.insert(0, " ");
      if (pattern_) append_pieces(piece, pattern_->find_all(piece), SplitBehavior::Isolated, false, out);
      else out.push_back(std::move(piece));
    }
    for (std::string& piece : out) piece = byte_level::encode(piece);
    pieces = std::move(out);
  }

 private:
  bool add_prefix_space_;
  std::unique_ptr<IcuRegex> pattern_;
};

class CharacterClassStep final : public PreTokenizerStep {
 public:
  CharacterClassStep(std::function<bool(char32_t)> wanted, SplitBehavior behavior)
      : wanted_(std::move(wanted)), behavior_(behavior) {}

  void apply(std::vector<std::string>& pieces, bool) const override {
    std::vector<std::string> out;
    for (const std::string& piece : pieces)
      append_pieces(piece, character_matches(piece, wanted_), behavior_, false, out);
    pieces = std::move(out);
  }

 private:
  std::function<bool(char32_t)> wanted_;
  SplitBehavior behavior_;
};

}  // namespace

std::shared_ptr<const PreTokenizerStep> make_metaspace(MetaspaceRule rule) {
  return std::make_shared<MetaspaceStep>(std::move(rule));
}

std::shared_ptr<const PreTokenizerStep> make_split(IcuRegex pattern, SplitBehavior behavior, bool invert) {
  return std::make_shared<SplitStep>(std::move(pattern), behavior, invert);
}

std::shared_ptr<const PreTokenizerStep> make_byte_level(bool add_prefix_space, bool use_regex) {
  return std::make_shared<ByteLevelStep>(add_prefix_space, use_regex);
}

std::shared_ptr<const PreTokenizerStep> make_digits(bool individual_digits) {
  return std::make_shared<CharacterClassStep>(is_numeric, individual_digits ? SplitBehavior::Isolated
                                                                            : SplitBehavior::Contiguous);
}

std::shared_ptr<const PreTokenizerStep> make_punctuation(SplitBehavior behavior) {
  return std::make_shared<CharacterClassStep>(is_punctuation, behavior);
}

}  // namespace dynamax
