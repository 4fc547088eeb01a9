#include "core/tokenize/segment_normalizer.h"

#include "core/tokenize/replace_all.h"

namespace dynamax {

std::string SegmentNormalizer::normalize(std::string_view segment) const {
  std::string text(segment);
  for (const NormalizerStep& step : steps_) {
    switch (step.kind) {
      case NormalizerStep::Kind::Prepend:
        // `tokenizers` prepends only to non-empty text.
        if (!text.empty()) text.insert(0, step.content);
        break;
      case NormalizerStep::Kind::Replace:
        text = replace_all(text, step.pattern, step.content);
        break;
    }
  }
  return text;
}

std::vector<std::string> SegmentNormalizer::words(std::string_view segment, bool starts_text) const {
  std::string text = normalize(segment);
  if (text.empty()) return {};
  if (!metaspace_) return {std::move(text)};

  const std::string& mark = metaspace_->replacement;
  text = replace_all(text, " ", mark);
  // As `tokenizers` does: no second mark when the text already starts with one.
  const bool prepend = metaspace_->prepend == MetaspaceRule::Prepend::Always ||
                       (metaspace_->prepend == MetaspaceRule::Prepend::First && starts_text);
  if (prepend && !text.starts_with(mark)) text.insert(0, mark);
  if (!metaspace_->split) return {std::move(text)};

  // Each mark begins a new word, as split with MergedWithNext does.
  std::vector<std::string> words;
  std::size_t start = 0;
  for (std::size_t at = text.find(mark, 1); at != std::string::npos; at = text.find(mark, at + mark.size())) {
    words.push_back(text.substr(start, at - start));
    start = at;
  }
  words.push_back(text.substr(start));
  return words;
}

}  // namespace dynamax
