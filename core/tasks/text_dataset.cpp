#include "core/tasks/text_dataset.h"

#include <algorithm>
#include <cstdint>

#include "core/common/error.h"
#include "core/tasks/json_locator.h"
#include "core/tokenize/piecewise_encoder.h"
#include "core/tokenize/tokenizer.h"
#include "core/tokenize/utf8.h"

namespace dynamax {

namespace {

// Throws "file:line: why" when the bytes are not text: a NUL byte or malformed UTF-8.
void check_text(const std::filesystem::path& path, std::string_view text) {
  const size_t nul = text.find('\0');
  if (nul != std::string_view::npos)
    throw Error(path.string() + ":" + std::to_string(line_of_offset(text, nul)) +
                ": a NUL byte: not a text file");
  if (utf8::is_valid(text)) return;
  for (size_t pos = 0; pos < text.size();) {
    const size_t len = utf8::char_length(text, pos);
    if (!utf8::is_valid(text.substr(pos, len)))
      throw Error(path.string() + ":" + std::to_string(line_of_offset(text, pos)) + ": not valid UTF-8 text (byte " +
                  std::to_string(pos) + ")");
    pos += len;
  }
}

}  // namespace

TextDataset::TextDataset(const DatasetSpec& spec, const Tokenizer& tokenizer, std::size_t limit,
                         const std::atomic<bool>* cancel)
    : tokenizer_(tokenizer), window_(spec.int_option("window", 256)) {
  if (window_ < 1) throw Error(spec.path.string() + ": window must be at least 1 token");
  const std::string text = read_dataset_file(spec.path);
  check_text(spec.path, text);
  // `limit` windows need limit × window tokens; the rest of the text is not tokenized.
  const std::size_t enough = limit > 0 && limit <= SIZE_MAX / size_t(window_) ? limit * size_t(window_) : SIZE_MAX;
  tokens_ = PiecewiseEncoder(tokenizer).encode(text, enough, cancel);
  token_count_ = tokens_.size();
  const size_t w = static_cast<size_t>(window_);
  windows_ = token_count_ / w + (token_count_ % w >= 2 ? 1 : 0);
  if (windows_ == 0)
    throw Error(spec.path.string() + ": no text window (" + std::to_string(token_count_) +
                (token_count_ == 1 ? " token" : " tokens") + "; a window needs at least 2)");
  if (limit > 0 && limit < windows_) windows_ = limit;
  tokens_.resize(std::min(tokens_.size(), windows_ * w));
}

Sample TextDataset::sample(std::size_t i) const {
  check_index(i);
  const size_t w = static_cast<size_t>(window_);
  const auto begin = tokens_.begin() + static_cast<std::ptrdiff_t>(i * w);
  const auto end = tokens_.begin() + static_cast<std::ptrdiff_t>(std::min(tokens_.size(), (i + 1) * w));
  Sample s;
  s.key = std::to_string(i);
  if (tokenizer_.add_bos) s.ids.push_back(tokenizer_.bos_id);
  s.ids.insert(s.ids.end(), begin, end);
  s.prompt_tokens = tokenizer_.add_bos ? 1 : 0;
  // The window's own text, as the tokens spell it: transformers' clean-up would change the source text.
  s.prompt = tokenizer_.decode_raw(std::span<const int32_t>(&*begin, static_cast<size_t>(end - begin)));
  return s;
}

}  // namespace dynamax
