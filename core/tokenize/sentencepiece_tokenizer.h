#pragma once
// The sentencepiece backend: a tokenizer.model run by libsentencepiece, exactly as sentencepiece encodes it.
#include <filesystem>
#include <memory>

#include "core/tokenize/tokenizer.h"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace dynamax {

class SentencePieceTokenizer final : public Tokenizer {
 public:
  // Throws Error naming the file when it is missing, empty or not a sentencepiece model.
  // bos_id/eos_id are the model's own (-1 when the model has none).
  explicit SentencePieceTokenizer(const std::filesystem::path& model_file);
  ~SentencePieceTokenizer() override;

  std::vector<int32_t> encode(std::string_view text) const override;
  std::string decode_raw(std::span<const int32_t> ids) const override;
  bool is_special(int32_t id) const override;
  std::string piece(int32_t id) const override;
  std::string readable_piece(int32_t id) const override { return piece(id); }  // already "▁there", "<0x0A>"
  int vocab_size() const override;
  std::string backend_name() const override { return "sentencepiece"; }

 private:
  void check_id(int32_t id) const;

  std::unique_ptr<sentencepiece::SentencePieceProcessor> processor_;
};

}  // namespace dynamax
