// config.json on arbitrary bytes: the JSON parser, then every field check and the sizes derived from the config.
#include "core/io/model_config.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > dynamax::fuzz::kMaxInputBytes) return -1;
  const auto path = dynamax::fuzz::write_input("config.json", data, size);
  dynamax::fuzz::refusal_is_fine([&] {
    const dynamax::ModelConfig config = dynamax::load_model_config(path);
    volatile int64_t sink = config.parameter_count();
    if (config.arch == dynamax::Architecture::Mamba2)
      sink = sink + config.mamba2.conv_dim() + config.mamba2.in_proj_dim();
    else if (!config.is_transformer())
      sink = sink + config.mamba1.x_proj_dim();
    (void)sink;
  });
  return 0;
}
