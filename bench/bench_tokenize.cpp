// Tokenizer throughput: 1 MB of Moby-Dick (../shared/data/text) encoded by each tokenizer.json family of
// tests/data/tokenizers (byte-level: Llama 3, Qwen2, GPT-NeoX, Falcon; Mistral v0.3-style), next to the
// sentencepiece library and our tokenizer.json backend on the same Mistral-7B-v0.1 / tiny tokenizers
// (../shared/fixtures/tokenizers). Yardstick: sentencepiece on the same text, and the machine header.
// Single-threaded, as one encode call runs.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/machine_limits.h"
#include "core/tokenize/tokenizer.h"

namespace fs = std::filesystem;

static std::string read_text(const fs::path& path, std::size_t bytes) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  std::string text = all.str().substr(0, bytes);
  while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
  if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
  return text;
}

static void measure(const char* name, const fs::path& dir, dynamax::TokenizerBackend backend, const std::string& text) {
  if (!fs::exists(dir)) {
    std::printf("%-34s skipped: %s not found\n", name, dir.c_str());
    return;
  }
  const auto tokenizer = dynamax::load_tokenizer(dir, backend);
  std::size_t tokens = 0;
  const double seconds = bench::best_seconds([&] { tokens = tokenizer->encode(text).size(); });
  std::printf("%-34s vocab %6d  %8zu tokens  %6.2f MB/s  %8.2f M tokens/s\n", name, tokenizer->vocab_size(), tokens,
              text.size() / seconds / 1e6, tokens / seconds / 1e6);
}

int main() {
  bench::print_machine_header();
  const fs::path shared = DYNAMAX_BENCH_SHARED;
  const fs::path families = fs::path(DYNAMAX_BENCH_TEST_DATA) / "tokenizers";
  const fs::path book = shared / "data" / "text" / "melville-moby_dick.txt";
  if (!fs::exists(book)) {
    std::printf("bench_tokenize: %s not found (../shared is needed)\n", book.c_str());
    return 1;
  }
  const std::string text = read_text(book, 1'000'000);
  std::printf("text: %zu bytes of %s\n", text.size(), book.filename().c_str());
  using dynamax::TokenizerBackend;
  const fs::path fixtures = shared / "fixtures" / "tokenizers";
  measure("sentencepiece mistral-7b-v0.1", fixtures / "mistral-7b-v0.1", TokenizerBackend::SentencePiece, text);
  measure("tokenizer.json mistral-7b-v0.1", fixtures / "mistral-7b-v0.1", TokenizerBackend::HuggingFace, text);
  measure("sentencepiece tiny", fixtures / "tiny", TokenizerBackend::SentencePiece, text);
  measure("tokenizer.json tiny", fixtures / "tiny", TokenizerBackend::HuggingFace, text);
  for (const char* family : {"mistral-v3", "llama3", "qwen2", "gpt-neox", "falcon"})
    measure((std::string("tokenizer.json ") + family).c_str(), families / family, TokenizerBackend::HuggingFace, text);
  return 0;
}
