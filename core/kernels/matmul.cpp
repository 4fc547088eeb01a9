#include "core/kernels/matmul.h"

#include <cblas.h>
#include <immintrin.h>

#include <algorithm>
#include <cassert>
#include <thread>
#include <vector>

#include "core/common/error.h"
#include "core/kernels/bf16_matmul.h"
#include "core/kernels/convert.h"
#include "core/kernels/single_threaded_blas.h"


namespace dynamax {

namespace {

// fp32 panels of [kPanelRows x kPanelCols] weights (1 MB): small enough that converting into them and OpenBLAS
// packing out of them stay in L2, wide enough that sgemm keeps its speed. Measured against whole-K panels of 512
// rows: 85–97 % of fp32 sgemm instead of 61–89 %.
constexpr int64_t kPanelRows = 1024, kPanelCols = 256;
// bf16 precision hands products of at least this many rows to oneDNN. One row keeps the fused GEMV: oneDNN repacks
// the whole weight for AMX at every call, so its one-row product is no faster (4096 × 14336, 2 threads: 27–36 ms
// against 25 ms); from two rows on it beats convert + sgemm (53 against 139 ms; bench_record_7b).
constexpr int kMinBf16MatmulRows = 2;
// Splitting a product over threads pays off above this many weight elements (~2 MB of bf16).
constexpr int64_t kMinElementsPerThread = int64_t(1) << 20;

// Per-thread fp32 panels, owned by the calling thread so that helper threads need no allocation of their own.
float* panel_scratch(size_t floats) {
  thread_local std::vector<float> scratch;
  if (scratch.size() < floats) scratch.resize(floats);
  return scratch.data();
}

// How many threads a product over `elements` weights gets: the BLAS thread count is the engine's budget.
int thread_count(int64_t elements) {
  return int(std::clamp<int64_t>(elements / kMinElementsPerThread, 1, std::max(1, openblas_get_num_threads())));
}

// Runs part(k, r0, r1) for `parts` contiguous slices of [0, rows) on as many threads (the caller does part 0).
// Slices start on multiples of 16 rows, so no two threads write the same cache line of a one-token output.
template <class Part>
void split_rows(int64_t rows, int parts, const Part& part) {
  if (parts == 1) return part(0, int64_t(0), rows);
  auto bound = [&](int k) { return k == parts ? rows : rows * k / parts / 16 * 16; };
  std::vector<std::thread> helpers;
  for (int k = 1; k < parts; ++k) helpers.emplace_back(part, k, bound(k), bound(k + 1));
  part(0, int64_t(0), bound(1));
  for (std::thread& t : helpers) t.join();
}

// Y (+)= X · Wᵀ for W[rows x in] in BF16/F16, one panel at a time: convert it to fp32 into `panel`, then sgemm
// (sgemv if T = 1) adding its share of the K dimension to Y.
void convert_then_blas(DType dtype, const std::byte* w, int64_t rows, int64_t in, const float* X, int T, float* Y,
                       int64_t ldy, float beta, float* panel) {
  const size_t esize = dtype_size(dtype);
  for (int64_t r = 0; r < rows; r += kPanelRows) {
    const int64_t n = std::min(kPanelRows, rows - r);
    for (int64_t c = 0; c < in; c += kPanelCols) {
      const int64_t k = std::min(kPanelCols, in - c);
      for (int64_t i = 0; i < n; ++i) to_f32(dtype, w + size_t((r + i) * in + c) * esize, panel + i * k, size_t(k));
      const float b = c == 0 ? beta : 1.0f;
      if (T == 1) cblas_sgemv(CblasRowMajor, CblasNoTrans, n, k, 1.0f, panel, k, X + c, 1, b, Y + r, 1);
      else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, n, k, 1.0f, X + c, in, panel, k, b, Y + r, ldy);
    }
  }
}

// Each thread converts and multiplies its own slice of the weight rows with single-threaded BLAS, so the
// conversions run in parallel too (about 10 % faster than converting on one thread for a two-threaded sgemm).
void convert_then_blas_threaded(DType dtype, const std::byte* w, int64_t rows, int64_t in, const float* X, int T,
                                float* Y, int64_t ldy, float beta) {
  const int parts = thread_count(rows * in);
  const int64_t panel_floats = kPanelRows * kPanelCols;
  float* panels = panel_scratch(size_t(parts * panel_floats));
  if (parts == 1) return convert_then_blas(dtype, w, rows, in, X, T, Y, ldy, beta, panels);
  SingleThreadedBlas single;
  split_rows(rows, parts, [&](int k, int64_t r0, int64_t r1) {
    convert_then_blas(dtype, w + size_t(r0 * in) * dtype_size(dtype), r1 - r0, in, X, T, Y + r0, ldy, beta,
                      panels + k * panel_floats);
  });
}

// 16 weights of row `w` at column i, widened to fp32 in registers. (The maskz forms compile to the same
// instructions; the plain ones trip GCC 12's -Wmaybe-uninitialized inside its own headers.)
template <DType D>
__attribute__((target("avx512f"))) inline __m512 load16(const uint16_t* w, int64_t i) {
  const __m256i half = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + i));
  const __mmask16 all = 0xffff;
  if constexpr (D == DType::BF16)
    return _mm512_castsi512_ps(_mm512_maskz_slli_epi32(all, _mm512_maskz_cvtepu16_epi32(all, half), 16));
  else return _mm512_maskz_cvtph_ps(all, half);
}

__attribute__((target("avx512f"))) inline float sum16(__m512 v) {
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, v);
  float sum = 0.0f;
  for (float lane : lanes) sum += lane;
  return sum;
}

template <DType D>
float scalar_weight(uint16_t bits) {
  return D == DType::BF16 ? bf16_scalar(bits) : f16_scalar(bits);
}

// y[r] (+)= W[r] · x, converting the half-precision weights in registers: a single pass over them and no fp32
// copy. A one-token step is bound by streaming the weights, and this runs about twice as fast as converting panels
// for sgemv. Four rows at a time share each load of x; prefetching the next four rows keeps eight streams in
// flight, which the hardware prefetcher alone does not (measured: 83 % → 95 % of the read bandwidth).
template <DType D>
__attribute__((target("avx512f"))) void gemv_half_avx512(const uint16_t* w, int64_t rows, int64_t in, const float* x,
                                                        float* y, bool accumulate) {
  const int64_t vec_end = in - in % 16;
  int64_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    const uint16_t* w0 = w + r * in;
    const uint16_t *w1 = w0 + in, *w2 = w1 + in, *w3 = w2 + in;
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
    for (int64_t i = 0; i < vec_end; i += 16) {
      for (int k = 4; k < 8; ++k) _mm_prefetch(reinterpret_cast<const char*>(w0 + k * in + i), _MM_HINT_T0);
      const __m512 xv = _mm512_loadu_ps(x + i);
      a0 = _mm512_fmadd_ps(load16<D>(w0, i), xv, a0);
      a1 = _mm512_fmadd_ps(load16<D>(w1, i), xv, a1);
      a2 = _mm512_fmadd_ps(load16<D>(w2, i), xv, a2);
      a3 = _mm512_fmadd_ps(load16<D>(w3, i), xv, a3);
    }
    float dot[4] = {sum16(a0), sum16(a1), sum16(a2), sum16(a3)};
    for (int64_t i = vec_end; i < in; ++i)
      for (int k = 0; k < 4; ++k) dot[k] += scalar_weight<D>(w0[k * in + i]) * x[i];
    for (int k = 0; k < 4; ++k) y[r + k] = accumulate ? y[r + k] + dot[k] : dot[k];
  }
  for (; r < rows; ++r) {
    const uint16_t* wr = w + r * in;
    __m512 acc = _mm512_setzero_ps();
    for (int64_t i = 0; i < vec_end; i += 16) acc = _mm512_fmadd_ps(load16<D>(wr, i), _mm512_loadu_ps(x + i), acc);
    float dot = sum16(acc);
    for (int64_t i = vec_end; i < in; ++i) dot += scalar_weight<D>(wr[i]) * x[i];
    y[r] = accumulate ? y[r] + dot : dot;
  }
}

bool has_avx512() {
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") != 0;
  }();
  return yes;
}

// One token against a BF16/F16 matrix, the rows split over the engine's threads.
void gemv_half_threaded(DType dtype, const std::byte* w, int64_t rows, int64_t in, const float* x, float* y,
                        bool accumulate) {
  const auto* bits = reinterpret_cast<const uint16_t*>(w);
  split_rows(rows, thread_count(rows * in), [&](int, int64_t r0, int64_t r1) {
    if (dtype == DType::BF16) gemv_half_avx512<DType::BF16>(bits + r0 * in, r1 - r0, in, x, y + r0, accumulate);
    else gemv_half_avx512<DType::F16>(bits + r0 * in, r1 - r0, in, x, y + r0, accumulate);
  });
}

}  // namespace

void matmul_rows(const TensorView& W, int64_t row0, int64_t rows, const float* X, int T, float* Y, int64_t ldy,
                 bool accumulate, Precision precision) {
  if (W.shape.size() != 2) throw Error("matmul: weight '" + W.name + "' is not a matrix " + W.shape_string());
  const int64_t in = W.shape[1];
  assert(row0 >= 0 && rows >= 0 && row0 + rows <= W.shape[0] && T > 0 && (T == 1 || ldy >= rows));
  if (rows == 0) return;
  const float beta = accumulate ? 1.0f : 0.0f;
  const std::byte* base = W.data + size_t(row0 * in) * dtype_size(W.dtype);
  switch (W.dtype) {
    case DType::F32: {  // no conversion needed: multiply straight from the mapping
      const float* w = reinterpret_cast<const float*>(base);
      if (T == 1) cblas_sgemv(CblasRowMajor, CblasNoTrans, rows, in, 1.0f, w, in, X, 1, beta, Y, 1);
      else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, rows, in, 1.0f, X, in, w, in, beta, Y, ldy);
      return;
    }
    case DType::BF16:
    case DType::F16:
      if (W.dtype == DType::BF16 && precision == Precision::BF16 && T >= kMinBf16MatmulRows && bf16_matmul_available())
        return bf16_matmul(reinterpret_cast<const uint16_t*>(base), rows, in, X, T, Y, ldy, accumulate);
      if (T == 1 && has_avx512()) return gemv_half_threaded(W.dtype, base, rows, in, X, Y, accumulate);
      return convert_then_blas_threaded(W.dtype, base, rows, in, X, T, Y, ldy, beta);
    default:
      throw Error("matmul: weight '" + W.name + "' has dtype " + dtype_name(W.dtype) + " (BF16, F16 or F32 needed)");
  }
}

void matmul(const TensorView& W, const float* X, int T, float* Y, bool accumulate, Precision precision) {
  if (W.shape.size() != 2) throw Error("matmul: weight '" + W.name + "' is not a matrix " + W.shape_string());
  matmul_rows(W, 0, W.shape[0], X, T, Y, W.shape[0], accumulate, precision);
}

}  // namespace dynamax
