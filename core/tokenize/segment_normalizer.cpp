#include "core/tokenize/segment_normalizer.h"

#include "core/tokenize/replace_all.h"
#include "core/tokenize/unicode_forms.h"

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
      case NormalizerStep::Kind::NFC: text = normalize_unicode(text, NormalForm::NFC); break;
      case NormalizerStep::Kind::NFD: text = normalize_unicode(text, NormalForm::NFD); break;
      case NormalizerStep::Kind::NFKC: text = normalize_unicode(text, NormalForm::NFKC); break;
      case NormalizerStep::Kind::NFKD: text = normalize_unicode(text, NormalForm::NFKD); break;
      case NormalizerStep::Kind::Lowercase: text = lowercase(text); break;
    }
  }
  return text;
}

std::vector<std::string> SegmentNormalizer::words(std::string_view segment, bool starts_text) const {
  std::string text = normalize(segment);
  if (text.empty()) return {};
  std::vector<std::string> words{std::move(text)};
  for (const auto& step : pre_tokenizers_) step->apply(words, starts_text);
  return words;
}

}  // namespace dynamax
