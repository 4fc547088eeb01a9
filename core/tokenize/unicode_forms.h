#pragma once
// The Unicode normalizers of a tokenizer.json (NFC, NFD, NFKC, NFKD, Lowercase) and the character classes of
// the Digits and Punctuation pre-tokenizers, by ICU.
#include <string>
#include <string_view>

namespace dynamax {

enum class NormalForm { NFC, NFD, NFKC, NFKD };

// Ill-formed UTF-8 comes out as U+FFFD.
std::string normalize_unicode(std::string_view text, NormalForm form);

// Full Unicode lowercase without a locale (final sigma included), as Rust's str::to_lowercase.
std::string lowercase(std::string_view text);

// Rust's char::is_numeric: general categories Nd, Nl and No.
bool is_numeric(char32_t code_point);

// `tokenizers`' Punctuation: ASCII punctuation (symbols such as $ + < = > ^ ` | ~ included) or a character of
// the Unicode punctuation categories (Pc, Pd, Ps, Pe, Pi, Pf, Po).
bool is_punctuation(char32_t code_point);

}  // namespace dynamax
