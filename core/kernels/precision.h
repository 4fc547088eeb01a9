#pragma once
// The compute precision of a run: a property of the run, not of the model. `fp32` widens the stored weights to
// fp32 and matches the references; `bf16` multiplies the weights as stored (bf16) with activations rounded to
// bf16, accumulating in fp32 (oneDNN: AMX / AVX512-BF16). The residual stream stays fp32 in both.
#include <optional>
#include <string>
#include <string_view>

namespace dynamax {

enum class Precision { FP32, BF16 };

const char* precision_name(Precision precision);  // "fp32" | "bf16"
std::optional<Precision> parse_precision(std::string_view text);

// The precision a run gets on this CPU: bf16 where oneDNN has a bf16 matmul kernel for it, else fp32 with
// `notice` set to one sentence that says why (empty when the request is served as asked).
Precision effective_precision(Precision requested, std::string& notice);

}  // namespace dynamax
