#pragma once
// Reads a Hugging Face tokenizer.json into our BPE backend. What the Llama 2/Mistral (Metaspace, byte fallback)
// and the byte-level families (Llama 3, Qwen2, GPT-NeoX, Falcon) use is accepted: BPE model; Prepend/Replace/NFC/
// NFD/NFKC/NFKD/Lowercase normalizers; Metaspace/Split/ByteLevel/Digits/Punctuation pre-tokenizers; ByteLevel/
// TemplateProcessing post-processors (a BOS at most); Replace/ByteFallback/Fuse/Strip/Metaspace/ByteLevel
// decoders. Anything else is refused by name rather than tokenized differently.
#include <filesystem>
#include <memory>

#include "core/tokenize/bpe_tokenizer.h"

namespace dynamax {

// Throws Error "<path>: <problem>" for a missing file, invalid JSON, a model that is not BPE, a missing
// vocab or merges, a merge naming an unknown piece, an unsupported component, a regex ICU cannot compile, or a
// ByteLevel pre-tokenizer over a vocabulary without all 256 byte characters.
std::unique_ptr<BpeTokenizer> read_tokenizer_json(const std::filesystem::path& path);

}  // namespace dynamax
