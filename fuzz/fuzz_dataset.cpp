// One dataset reader on arbitrary bytes; the kind is DYNAMAX_FUZZ_DATASET_KIND, one fuzzer per kind (and per
// TriviaQA layout, which differ only in their seeds). Malformed records are skipped (on_error=skip) so one bad
// record does not hide the rest of the file; then the first samples are built, which tokenizes them.
#include <algorithm>
#include <memory>
#include <string>

#include "core/tasks/dataset.h"
#include "core/tokenize/tokenizer.h"
#include "fuzz/fuzz_support.h"

static std::unique_ptr<dynamax::Tokenizer> g_tokenizer;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_tokenizer = dynamax::load_tokenizer(dynamax::fuzz::shared_dir() / "fixtures/tokenizers/tiny");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > dynamax::fuzz::kMaxInputBytes) return -1;
  const std::string kind = DYNAMAX_FUZZ_DATASET_KIND;
  const auto path = dynamax::fuzz::write_input("dataset", data, size);
  // Small windows and shot counts: more samples from a small input.
  const std::string options = kind == "text" ? "window=16,on_error=skip"
                              : kind == "coqa" ? "on_error=skip"
                                               : "shots=2,on_error=skip";
  dynamax::fuzz::refusal_is_fine([&] {
    const auto spec = dynamax::parse_dataset_spec(kind + ":" + path.string() + "#" + options);
    const auto dataset = dynamax::open_dataset(spec, *g_tokenizer);
    for (size_t i = 0; i < std::min<size_t>(dataset->size(), 4); ++i) (void)dataset->sample(i);
  });
  return 0;
}
