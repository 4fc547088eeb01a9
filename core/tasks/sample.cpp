#include "core/tasks/sample.h"

#include <algorithm>

#include "core/tokenize/tokenizer.h"

namespace dynamax {

void tokenize_sample(Sample& sample, const Tokenizer& tokenizer) {
  const std::vector<int32_t> whole = tokenizer.encode(sample.prompt + sample.answer);
  const std::vector<int32_t> prompt = tokenizer.encode(sample.prompt);
  const size_t shared = static_cast<size_t>(
      std::mismatch(prompt.begin(), prompt.end(), whole.begin(), whole.end()).first - prompt.begin());
  sample.ids.clear();
  sample.ids.reserve(whole.size() + 1);
  if (tokenizer.add_bos) sample.ids.push_back(tokenizer.bos_id);
  sample.ids.insert(sample.ids.end(), whole.begin(), whole.end());
  sample.prompt_tokens = static_cast<int>(shared) + (tokenizer.add_bos ? 1 : 0);
}

}  // namespace dynamax
