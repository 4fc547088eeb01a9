#pragma once
// Reads a Hugging Face tokenizer.json into our BPE backend. Only what the Llama/Mistral family uses is
// accepted (BPE model; Prepend/Replace normalizers; Metaspace pre-tokenizer; Replace/ByteFallback/Fuse/Strip/
// Metaspace decoders); anything else is refused by name rather than tokenized differently.
#include <filesystem>
#include <memory>

#include "core/tokenize/bpe_tokenizer.h"

namespace dynamax {

// Throws Error "<path>: <problem>" for a missing file, invalid JSON, a model that is not BPE, a missing
// vocab or merges, a merge naming an unknown piece, or an unsupported component.
std::unique_ptr<BpeTokenizer> read_tokenizer_json(const std::filesystem::path& path);

}  // namespace dynamax
