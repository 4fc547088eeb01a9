#pragma once
// Plain UTF-8 text for next-token accuracy and perplexity: the file is tokenized once and cut into consecutive
// windows of `window` tokens. Each window is scored on its own, after a BOS that does not count toward the
// window (only BOS is prompt). The last, shorter window is kept when it has at least 2 tokens.
// The text is tokenized piece by piece (see text_pieces.h), so a limit stops reading early and a cancel flag is
// obeyed between pieces; the ids are those of tokenizing the text whole.
#include <atomic>

#include "core/tasks/dataset.h"

namespace dynamax {

class TextDataset : public Dataset {
 public:
  // `cancel` (may be null) is polled between pieces; when set, the constructor throws Cancelled.
  TextDataset(const DatasetSpec& spec, const Tokenizer& tokenizer, std::size_t limit,
              const std::atomic<bool>* cancel = nullptr);
  std::size_t size() const override { return windows_; }
  Sample sample(std::size_t i) const override;
  std::string kind() const override { return "text"; }
  int window() const { return window_; }
  // Tokens read: all of the text's without a limit, else at least those of the kept windows.
  std::size_t token_count() const { return token_count_; }

 private:
  const Tokenizer& tokenizer_;
  int window_ = 256;
  std::size_t token_count_ = 0, windows_ = 0;
  std::vector<int32_t> tokens_;  // the tokens the kept windows cover
};

}  // namespace dynamax
