#pragma once
// Matrix products against weights kept in their file dtype. Many rows: panels of the weight are converted to fp32
// in a reusable per-thread scratch buffer and multiplied with OpenBLAS sgemm. One row (a decode step) is bound by
// streaming the weights: on AVX-512 CPUs the bf16/f16 weights are widened in registers inside a dot-product kernel
// (no fp32 copy, ~2× faster than convert + sgemv); elsewhere convert + sgemv. Large products are split by rows over
// as many threads as OpenBLAS is allowed (openblas_set_num_threads / OPENBLAS_NUM_THREADS is the engine's budget).
#include "core/io/safetensors.h"

namespace dynamax {

// Y[T x out] (+)= X[T x in] · Wᵀ, with W a row-major [out x in] tensor (BF16, F16 or F32), as HF stores nn.Linear.
// With `accumulate`, adds to Y instead of overwriting it.
void matmul(const TensorView& W, const float* X, int T, float* Y, bool accumulate = false);

// The same on rows [row0, row0 + rows) of W only: Y[T x rows] (+)= X · W[row0:row0+rows]ᵀ (ldy = stride of Y rows).
void matmul_rows(const TensorView& W, int64_t row0, int64_t rows, const float* X, int T, float* Y, int64_t ldy,
                 bool accumulate = false);

}  // namespace dynamax
