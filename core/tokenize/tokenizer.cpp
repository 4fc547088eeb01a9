#include "core/tokenize/tokenizer.h"

#include <system_error>

#include "core/common/error.h"
#include "core/tokenize/clean_up_tokenization.h"
#include "core/tokenize/sentencepiece_tokenizer.h"
#include "core/tokenize/special_token_settings.h"
#include "core/tokenize/tokenizer_json.h"

namespace dynamax {

namespace {

constexpr const char* kSentencePieceFile = "tokenizer.model";
constexpr const char* kTokenizerJsonFile = "tokenizer.json";

TokenizerBackend resolve_auto(const std::filesystem::path& model_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(model_dir, ec))
    throw Error(model_dir.string() + ": not a folder (expected a model folder with " + kSentencePieceFile + " or " +
                kTokenizerJsonFile + ")");
  if (std::filesystem::exists(model_dir / kSentencePieceFile, ec)) return TokenizerBackend::SentencePiece;
  if (std::filesystem::exists(model_dir / kTokenizerJsonFile, ec)) return TokenizerBackend::HuggingFace;
  throw Error(model_dir.string() + ": no tokenizer in this folder (neither " + kSentencePieceFile + " nor " +
              kTokenizerJsonFile + ")");
}

// sentencepiece names its own BOS/EOS; config.json only fills in what the model lacks.
std::unique_ptr<Tokenizer> load_sentencepiece(const std::filesystem::path& model_dir,
                                              const SpecialTokenSettings& settings) {
  auto tokenizer = std::make_unique<SentencePieceTokenizer>(model_dir / kSentencePieceFile);
  if (tokenizer->bos_id < 0 && settings.bos_token_id) tokenizer->bos_id = *settings.bos_token_id;
  if (tokenizer->eos_id < 0 && settings.eos_token_id) tokenizer->eos_id = *settings.eos_token_id;
  tokenizer->add_bos = settings.add_bos.value_or(true);
  return tokenizer;
}

// BOS/EOS are the tokens tokenizer_config.json names. Whether a BOS is added follows its add_bos_token when it
// has one (the Llama/Mistral and GPT-NeoX tokenizer classes obey it), else the file's post-processor, as
// PreTrainedTokenizerFast encodes with it: Llama 3's template adds <|begin_of_text|>, Qwen2's ByteLevel nothing.
std::unique_ptr<Tokenizer> load_tokenizer_json(const std::filesystem::path& model_dir,
                                               const SpecialTokenSettings& settings) {
  auto tokenizer = read_tokenizer_json(model_dir / kTokenizerJsonFile);
  const std::optional<int32_t> template_bos = tokenizer->post_processor_bos();
  auto pick = [](std::optional<int32_t> by_name, std::optional<int32_t> by_config, int fallback) {
    return by_name ? *by_name : by_config.value_or(fallback);
  };
  tokenizer->bos_id = pick(tokenizer->token_id(settings.bos_token), template_bos ? template_bos : settings.bos_token_id,
                           tokenizer->bos_id);
  tokenizer->eos_id = pick(tokenizer->token_id(settings.eos_token), settings.eos_token_id, tokenizer->eos_id);
  tokenizer->add_bos = settings.add_bos.value_or(template_bos.has_value());
  return tokenizer;
}

}  // namespace

// As transformers 5's TokenizersBackend._decode: the backend decodes the ids left after skipping the special ones,
// then the clean-up runs on the whole text.
std::string Tokenizer::decode(std::span<const int32_t> ids) const {
  std::vector<int32_t> kept;
  kept.reserve(ids.size());
  for (int32_t id : ids)
    if (!is_special(id)) kept.push_back(id);
  std::string text = decode_raw(kept);
  return clean_up_tokenization_spaces ? clean_up_tokenization(text) : text;
}

std::unique_ptr<Tokenizer> load_tokenizer(const std::filesystem::path& model_dir, TokenizerBackend backend) {
  if (backend == TokenizerBackend::Auto) backend = resolve_auto(model_dir);
  const SpecialTokenSettings settings = read_special_token_settings(model_dir);
  std::unique_ptr<Tokenizer> tokenizer = backend == TokenizerBackend::SentencePiece
                                             ? load_sentencepiece(model_dir, settings)
                                             : load_tokenizer_json(model_dir, settings);
  tokenizer->clean_up_tokenization_spaces = settings.clean_up_tokenization_spaces;
  return tokenizer;
}

TokenizerBackend parse_tokenizer_backend(std::string_view name) {
  if (name == "auto") return TokenizerBackend::Auto;
  if (name == "sentencepiece") return TokenizerBackend::SentencePiece;
  if (name == "hf") return TokenizerBackend::HuggingFace;
  throw Error("unknown tokenizer backend \"" + std::string(name) + "\" (expected sentencepiece, hf or auto)");
}

}  // namespace dynamax
