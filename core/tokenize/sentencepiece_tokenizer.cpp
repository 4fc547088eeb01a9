#include "core/tokenize/sentencepiece_tokenizer.h"

#include <sentencepiece_processor.h>

#include "core/common/error.h"
#include "core/tokenize/tokenizer_files.h"

namespace dynamax {

SentencePieceTokenizer::SentencePieceTokenizer(const std::filesystem::path& model_file)
    : processor_(std::make_unique<sentencepiece::SentencePieceProcessor>()) {
  const std::string bytes = read_tokenizer_file(model_file);
  // An empty protobuf parses as a valid (empty) message, so say what is wrong before sentencepiece does.
  if (bytes.empty()) throw Error(model_file.string() + ": empty file, not a sentencepiece model");
  const auto status = processor_->LoadFromSerializedProto(bytes);
  if (!status.ok())
    throw Error(model_file.string() + ": not a valid sentencepiece model (" + status.ToString() + ")");
  if (processor_->GetPieceSize() <= 0) throw Error(model_file.string() + ": sentencepiece model has no pieces");
  bos_id = processor_->bos_id();
  eos_id = processor_->eos_id();
}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

std::vector<int32_t> SentencePieceTokenizer::encode(std::string_view text) const {
  std::vector<int> ids;
  const auto status = processor_->Encode(text, &ids);
  if (!status.ok()) throw Error("sentencepiece encode failed: " + status.ToString());
  return {ids.begin(), ids.end()};
}

std::string SentencePieceTokenizer::decode_raw(std::span<const int32_t> ids) const {
  for (int32_t id : ids) check_id(id);
  std::string text;
  const auto status = processor_->Decode(std::vector<int>(ids.begin(), ids.end()), &text);
  if (!status.ok()) throw Error("sentencepiece decode failed: " + status.ToString());
  return text;
}

bool SentencePieceTokenizer::is_special(int32_t id) const {
  check_id(id);
  return processor_->IsControl(id) || processor_->IsUnknown(id);
}

std::string SentencePieceTokenizer::piece(int32_t id) const {
  check_id(id);
  return processor_->IdToPiece(id);
}

int SentencePieceTokenizer::vocab_size() const { return processor_->GetPieceSize(); }

// libsentencepiece indexes its piece table without a bounds check.
void SentencePieceTokenizer::check_id(int32_t id) const {
  if (id < 0 || id >= vocab_size())
    throw Error("token id " + std::to_string(id) + " is outside the sentencepiece vocabulary of " +
                std::to_string(vocab_size()));
}

}  // namespace dynamax
