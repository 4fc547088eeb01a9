#pragma once
// Y[T x rows] (+)= bf16(X) · Wᵀ through oneDNN's matmul, with W a row-major [rows x in] bf16 tensor used as
// stored: read as a K×N matrix in format `ba`, no copy. The activations are rounded to bf16 (nearest even), the
// products accumulate in fp32, and Y is fp32. oneDNN's threads follow the engine's budget (the OpenBLAS thread
// count). Primitives are created once per shape and thread and kept: creating one JIT-compiles its kernels.
#include <cstdint>
#include <string>

namespace dynamax {

// Whether oneDNN has a real (JIT, not reference) bf16 matmul for this CPU: AVX512-BF16 or AMX.
bool bf16_matmul_available();
// oneDNN's implementation of a bf16 matmul here, e.g. "brg:avx512_core_amx_bf16" ("" if it has none at all).
std::string bf16_matmul_kernel();

void bf16_matmul(const uint16_t* W, int64_t rows, int64_t in, const float* X, int T, float* Y, int64_t ldy,
                 bool accumulate);

}  // namespace dynamax
