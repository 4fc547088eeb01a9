#pragma once
// Half-precision to fp32 conversion: on the engine's hot path (every weight panel passes through it).
#include <cstddef>
#include <cstdint>

#include "core/io/safetensors.h"

namespace dynamax {

void bf16_to_f32(const uint16_t* src, float* dst, size_t n);
void f16_to_f32(const uint16_t* src, float* dst, size_t n);
// Converts n elements of `dtype` (BF16, F16 or F32) starting at `src` into fp32.
void to_f32(DType dtype, const void* src, float* dst, size_t n);

// Scalar conversions (reference semantics; also used by tests).
float bf16_scalar(uint16_t bits);
float f16_scalar(uint16_t bits);
uint16_t f32_to_bf16_round(float value);  // round-to-nearest-even, as torch does
// Rounds n fp32 values to bf16 with f32_to_bf16_round's semantics (activations for the bf16 matmul).
void f32_to_bf16(const float* src, uint16_t* dst, size_t n);

// Which vector path the conversions use on this CPU ("avx512", "avx2", "scalar").
const char* convert_kernel_name();

}  // namespace dynamax
