#include "core/kernels/precision.h"

#include "core/kernels/bf16_matmul.h"

namespace dynamax {

const char* precision_name(Precision precision) { return precision == Precision::BF16 ? "bf16" : "fp32"; }

std::optional<Precision> parse_precision(std::string_view text) {
  if (text == "fp32") return Precision::FP32;
  if (text == "bf16") return Precision::BF16;
  return std::nullopt;
}

Precision effective_precision(Precision requested, std::string& notice) {
  notice.clear();
  if (requested == Precision::FP32 || bf16_matmul_available()) return requested;
  notice = "bf16 matmuls are not available on this CPU (oneDNN offers only '" + bf16_matmul_kernel() +
           "', which needs AVX512-BF16 or AMX to be fast): computing in fp32 instead";
  return Precision::FP32;
}

}  // namespace dynamax
