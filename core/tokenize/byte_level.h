#pragma once
// The byte-level alphabet of GPT-2 and its descendants (Llama 3, Qwen2, GPT-NeoX, Falcon): every byte stands for
// one printable character, so that BPE pieces are text. Printable Latin-1 bytes stand for themselves; the others
// (controls, space, DEL, NBSP, soft hyphen) for U+0100 onwards, in byte order.
#include <string>
#include <string_view>

namespace dynamax::byte_level {

// The character (as UTF-8) that stands for `byte`.
const std::string& symbol(unsigned char byte);

// Each byte of `bytes` replaced by its character.
std::string encode(std::string_view bytes);

// Appends the bytes that `piece` stands for. A piece with a character outside the alphabet (an added token
// such as "<|im_start|>" is inside it; one with other text may not be) stands for its own bytes, as
// `tokenizers` decodes it.
void append_bytes(std::string_view piece, std::string& bytes);

}  // namespace dynamax::byte_level
