// tokenizer.json on arbitrary bytes: read it, then encode and decode a text that reaches the normalizer, the
// added tokens, the byte fallback, the pre-tokenizers (regex, digits, punctuation, byte-level) and the decoders.
#include <string_view>

#include "core/tokenize/tokenizer_json.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > dynamax::fuzz::kMaxInputBytes) return -1;
  const auto path = dynamax::fuzz::write_input("tokenizer.json", data, size);
  dynamax::fuzz::refusal_is_fine([&] {
    const auto tokenizer = dynamax::read_tokenizer_json(path);
    constexpr std::string_view kText =
        "Hello  world<s></s>\n\t12 3\xC3\xA9\xE2\x96\x81x \xF0\x9F\x98\x80\xFF end DON'T 1234567!?<|endoftext|>\r\n";
    const auto ids = tokenizer->encode(kText);
    (void)tokenizer->decode(ids);
    for (int32_t id : ids) (void)tokenizer->piece(id);
  });
  return 0;
}
