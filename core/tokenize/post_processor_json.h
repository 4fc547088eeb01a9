#pragma once
// Reads what the post_processor of a tokenizer.json adds when encoding with special tokens. Our Tokenizer adds
// at most a BOS (see Tokenizer::add_bos), so only that is accepted.
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

namespace dynamax::tokenizer_json {

// The id of the special token that TemplateProcessing puts before the text of a single sequence (Llama 3's
// <|begin_of_text|>, Mistral's <s>), or nothing (ByteLevel, no post-processor). Sequence is looked through.
// Throws Error for another post-processor type, or a template that adds tokens after the text or several before.
std::optional<int32_t> read_post_processor_bos(const nlohmann::json& post_processor);

}  // namespace dynamax::tokenizer_json
