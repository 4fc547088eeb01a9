#pragma once
// What a model folder holds, without running it: architecture, sizes, weights on disk, tokenizer.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/io/model_config.h"

namespace dynamax {

struct ModelSummary {
  std::filesystem::path folder;
  ModelConfig config;
  bool weights_present = false;
  int weight_files = 0;
  size_t weight_bytes = 0;
  size_t tensor_count = 0;
  int64_t parameters = 0;       // counted from the weights when present, else implied by the config
  std::string weight_dtype;     // dtype of the weights ("BF16"; "mixed" when several), or the config's declaration
  std::string tokenizer_backend;  // "sentencepiece", "hf" or "" when the folder has no tokenizer
  std::string tokenizer_error;    // why the tokenizer could not be loaded, when it could not
  int tokenizer_vocab = 0;
};

// Reads config.json, opens (maps) the weights if present, and loads the tokenizer; throws dynamax::Error for an
// unreadable config or corrupt weights.
ModelSummary summarize_model_folder(const std::filesystem::path& folder);
nlohmann::json summary_to_json(const ModelSummary& summary);
std::string summary_to_text(const ModelSummary& summary);

}  // namespace dynamax
