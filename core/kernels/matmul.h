#pragma once
// Matrix products against weights kept in their file dtype. Many rows: panels of the weight are converted to fp32
// in a reusable per-thread scratch buffer and multiplied with OpenBLAS sgemm. One row (a decode step) is bound by
// streaming the weights: on AVX-512 CPUs the bf16/f16 weights are widened in registers inside a dot-product kernel
// (no fp32 copy, ~2× faster than convert + sgemv); elsewhere convert + sgemv. Large products are split by rows over
// as many threads as OpenBLAS is allowed (openblas_set_num_threads / OPENBLAS_NUM_THREADS is the engine's budget).
// In bf16 precision, many-row products of bf16 weights go to oneDNN's bf16 matmul instead (bf16_matmul.h); one-row
// products keep the fused GEMV, which is exact in fp32 and faster there.
#include "core/io/safetensors.h"
#include "core/kernels/precision.h"

namespace dynamax {

// Y[T x out] (+)= X[T x in] · Wᵀ, with W a row-major [out x in] tensor (BF16, F16 or F32), as HF stores nn.Linear.
// With `accumulate`, adds to Y instead of overwriting it.
void matmul(const TensorView& W, const float* X, int T, float* Y, bool accumulate = false,
            Precision precision = Precision::FP32);

// The same on rows [row0, row0 + rows) of W only: Y[T x rows] (+)= X · W[row0:row0+rows]ᵀ (ldy = stride of Y rows).
void matmul_rows(const TensorView& W, int64_t row0, int64_t rows, const float* X, int T, float* Y, int64_t ldy,
                 bool accumulate = false, Precision precision = Precision::FP32);

}  // namespace dynamax
