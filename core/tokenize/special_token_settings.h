#pragma once
// What a model folder says about BOS/EOS and decoding besides the tokenizer file: tokenizer_config.json and
// config.json.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace dynamax {

struct SpecialTokenSettings {
  std::optional<bool> add_bos;            // tokenizer_config.json add_bos_token, when it says
  std::string bos_token = "<s>";          // tokenizer_config.json bos_token (a string or {"content": ...});
                                          // empty when it is null (Qwen2 has no BOS)
  std::string eos_token = "</s>";         // tokenizer_config.json eos_token
  std::optional<int32_t> bos_token_id;    // config.json bos_token_id
  std::optional<int32_t> eos_token_id;    // config.json eos_token_id
  bool clean_up_tokenization_spaces = false;  // tokenizer_config.json's; absent or null: false (transformers 5)
};

// Reads both files when present. A malformed tokenizer_config.json throws Error naming it. config.json
// belongs to the model loader and may use non-standard JSON (a bare Infinity in Mamba-Codestral's), so
// here it is only a fallback, read when it parses.
SpecialTokenSettings read_special_token_settings(const std::filesystem::path& model_dir);

}  // namespace dynamax
