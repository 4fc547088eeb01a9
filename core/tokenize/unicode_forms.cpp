#include "core/tokenize/unicode_forms.h"

#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

#include "core/common/error.h"

namespace dynamax {

namespace {

const icu::Normalizer2& normalizer(NormalForm form) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* instance = nullptr;
  switch (form) {
    case NormalForm::NFC: instance = icu::Normalizer2::getNFCInstance(status); break;
    case NormalForm::NFD: instance = icu::Normalizer2::getNFDInstance(status); break;
    case NormalForm::NFKC: instance = icu::Normalizer2::getNFKCInstance(status); break;
    case NormalForm::NFKD: instance = icu::Normalizer2::getNFKDInstance(status); break;
  }
  if (U_FAILURE(status) || !instance) throw Error(std::string("ICU normalizer unavailable: ") + u_errorName(status));
  return *instance;
}

icu::StringPiece piece_of(std::string_view text) {
  return icu::StringPiece(text.data(), static_cast<int32_t>(text.size()));
}

}  // namespace

std::string normalize_unicode(std::string_view text, NormalForm form) {
  if (text.size() > INT32_MAX) throw Error("cannot normalize a text of 2 GiB or more");
  const icu::Normalizer2& forms = normalizer(form);
  UErrorCode status = U_ZERO_ERROR;
  if (forms.isNormalizedUTF8(piece_of(text), status) && U_SUCCESS(status)) return std::string(text);
  status = U_ZERO_ERROR;
  std::string result;
  icu::StringByteSink<std::string> sink(&result, static_cast<int32_t>(text.size()));
  forms.normalizeUTF8(0, piece_of(text), sink, nullptr, status);
  if (U_FAILURE(status)) throw Error(std::string("Unicode normalization failed: ") + u_errorName(status));
  return result;
}

std::string lowercase(std::string_view text) {
  if (text.size() > INT32_MAX) throw Error("cannot lowercase a text of 2 GiB or more");
  UErrorCode status = U_ZERO_ERROR;
  std::string result;
  icu::StringByteSink<std::string> sink(&result, static_cast<int32_t>(text.size()));
  icu::CaseMap::utf8ToLower("", 0, piece_of(text), sink, nullptr, status);
  if (U_FAILURE(status)) throw Error(std::string("lowercasing failed: ") + u_errorName(status));
  return result;
}

bool is_numeric(char32_t code_point) {
  const auto category = u_charType(static_cast<UChar32>(code_point));
  return category == U_DECIMAL_DIGIT_NUMBER || category == U_LETTER_NUMBER || category == U_OTHER_NUMBER;
}

bool is_punctuation(char32_t code_point) {
  if (code_point < 0x80) return code_point > ' ' && code_point < 0x7F && !u_isalnum(static_cast<UChar32>(code_point));
  return u_ispunct(static_cast<UChar32>(code_point));
}

}  // namespace dynamax
