#include "core/exits/classifier_dense.h"

#include <cblas.h>

#include <algorithm>
#include <cassert>
#include <cstdint>

#include "core/kernels/single_threaded_blas.h"

namespace dynamax {

void dense_forward(const float* X, int T, int in, int out, const float* W, const float* b, float* Y) {
  assert(X && W && Y && T >= 0 && in > 0 && out > 0);
  if (T == 0) return;
  for (int t = 0; t < T; ++t) {
    float* y = Y + int64_t(t) * out;
    if (b)
      std::copy(b, b + out, y);
    else
      std::fill(y, y + out, 0.0f);
  }
  // One row (a generation step) is a matrix-vector product: gemv streams W once, where gemm would pack it first.
  // Single-threaded: the small product gains nothing from threads, and OpenBLAS's would spin on into the
  // backbone's next block.
  if (T == 1) {
    SingleThreadedBlas single;
    cblas_sgemv(CblasRowMajor, CblasNoTrans, out, in, 1.0f, W, in, X, 1, 1.0f, Y, 1);
  } else {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, out, in, 1.0f, X, in, W, in, 1.0f, Y, out);
  }
}

void dense_backward(const float* X, int T, int in, int out, const float* W, const float* dY, float* dW, float* db,
                    float* dX) {
  assert(X && W && dY && dW && T >= 0 && in > 0 && out > 0);
  if (T == 0) return;
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, T, 1.0f, dY, out, X, in, 1.0f, dW, in);
  if (db)
    for (int t = 0; t < T; ++t)
      for (int o = 0; o < out; ++o) db[o] += dY[int64_t(t) * out + o];
  if (dX) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, T, in, out, 1.0f, dY, out, W, in, 0.0f, dX, in);
}

}  // namespace dynamax
