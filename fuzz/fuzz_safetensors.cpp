// The safetensors reader on arbitrary bytes: header length, JSON header, dtypes, shapes, offsets, overlaps.
// Every tensor the reader accepts must lie inside the mapping: its first and last bytes are read.
#include "core/io/safetensors.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > dynamax::fuzz::kMaxInputBytes) return -1;
  const auto path = dynamax::fuzz::write_input("model.safetensors", data, size);
  dynamax::fuzz::refusal_is_fine([&] {
    const auto file = dynamax::SafetensorsFile::open(path);
    volatile unsigned char sink = 0;
    for (const auto& [name, tensor] : file->tensors()) {
      (void)tensor.shape_string();
      if (size_t(tensor.numel()) * dynamax::dtype_size(tensor.dtype) != tensor.nbytes) __builtin_trap();
      if (tensor.nbytes == 0) continue;
      sink = sink + std::to_integer<unsigned char>(tensor.data[0]);
      sink = sink + std::to_integer<unsigned char>(tensor.data[tensor.nbytes - 1]);
    }
  });
  return 0;
}
