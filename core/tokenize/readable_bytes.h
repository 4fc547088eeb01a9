#pragma once
// How the window shows the bytes of a byte-level token (Llama 3, Qwen2, GPT-NeoX, Falcon): in the notation of
// sentencepiece pieces, so that these tokens read like Mistral's side by side ("▁there", "<0x0A>").
#include <string>
#include <string_view>

namespace dynamax {

// Each well-formed UTF-8 character of `bytes` as itself, a space as "▁", and every other byte as "<0xAB>": control
// characters (newline, tab, DEL, the C1 controls) and the stray or partial bytes of a character split across
// tokens.
std::string readable_bytes(std::string_view bytes);

}  // namespace dynamax
