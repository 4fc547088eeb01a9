#include "core/kernels/convert.h"

// GCC 12's AVX-512 headers start vectors from _mm512_undefined_*(), which -Wmaybe-uninitialized misreports.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cstring>

#include "core/common/error.h"

namespace dynamax {

float bf16_scalar(uint16_t bits) {
  uint32_t u = uint32_t(bits) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

float f16_scalar(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff, u;
  if (exp == 0) {
    if (mant == 0) u = sign;
    else {  // subnormal: renormalise
      exp = 127 - 15 + 1;
      while (!(mant & 0x400)) { mant <<= 1; --exp; }
      u = sign | (exp << 23) | ((mant & 0x3ff) << 13);
    }
  } else if (exp == 31) u = sign | 0x7f800000u | (mant << 13);
  else u = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

uint16_t f32_to_bf16_round(float value) {
  uint32_t u;
  std::memcpy(&u, &value, 4);
  if ((u & 0x7fffffffu) > 0x7f800000u) return uint16_t((u >> 16) | 0x40);  // keep NaN a NaN
  u += 0x7fffu + ((u >> 16) & 1u);
  return uint16_t(u >> 16);
}

namespace {

__attribute__((target("avx512f"))) void bf16_avx512(const uint16_t* src, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i));
    __m512i w = _mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16);
    _mm512_storeu_ps(dst + i, _mm512_castsi512_ps(w));
  }
  for (; i < n; ++i) dst[i] = bf16_scalar(src[i]);
}

__attribute__((target("avx2"))) void bf16_avx2(const uint16_t* src, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    __m256i w = _mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16);
    _mm256_storeu_ps(dst + i, _mm256_castsi256_ps(w));
  }
  for (; i < n; ++i) dst[i] = bf16_scalar(src[i]);
}

__attribute__((target("avx512f"))) void f16_avx512(const uint16_t* src, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm512_storeu_ps(dst + i, _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i))));
  for (; i < n; ++i) dst[i] = f16_scalar(src[i]);
}

__attribute__((target("avx2,f16c"))) void f16_f16c(const uint16_t* src, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i))));
  for (; i < n; ++i) dst[i] = f16_scalar(src[i]);
}

// Round-to-nearest-even in integer arithmetic, 16 lanes at a time; NaN lanes keep their top bits and stay NaN.
__attribute__((target("avx512f,avx512bw"))) void round_bf16_avx512(const float* src, uint16_t* dst, size_t n) {
  const __m512i bias = _mm512_set1_epi32(0x7fff), one = _mm512_set1_epi32(1), quiet = _mm512_set1_epi32(0x400000);
  const __m512i abs_mask = _mm512_set1_epi32(0x7fffffff), inf = _mm512_set1_epi32(0x7f800000);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512i u = _mm512_castps_si512(_mm512_loadu_ps(src + i));
    const __mmask16 nan = _mm512_cmpgt_epu32_mask(_mm512_and_si512(u, abs_mask), inf);
    const __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(u, 16), one);
    __m512i r = _mm512_add_epi32(u, _mm512_add_epi32(bias, lsb));
    r = _mm512_mask_mov_epi32(r, nan, _mm512_or_si512(u, quiet));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), _mm512_cvtepi32_epi16(_mm512_srli_epi32(r, 16)));
  }
  for (; i < n; ++i) dst[i] = f32_to_bf16_round(src[i]);
}

void bf16_plain(const uint16_t* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = bf16_scalar(src[i]);
}

void f16_plain(const uint16_t* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = f16_scalar(src[i]);
}

using ConvertFn = void (*)(const uint16_t*, float*, size_t);

struct Dispatch {
  ConvertFn bf16, f16;
  const char* name;
};

// Chosen once from the CPU's features, so one binary runs everywhere at the best speed.
const Dispatch& dispatch() {
  static const Dispatch d = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return Dispatch{bf16_avx512, f16_avx512, "avx512"};
    if (__builtin_cpu_supports("avx2")) return Dispatch{bf16_avx2, f16_f16c, "avx2"};
    return Dispatch{bf16_plain, f16_plain, "scalar"};
  }();
  return d;
}

}  // namespace

void bf16_to_f32(const uint16_t* src, float* dst, size_t n) { dispatch().bf16(src, dst, n); }
void f16_to_f32(const uint16_t* src, float* dst, size_t n) { dispatch().f16(src, dst, n); }
const char* convert_kernel_name() { return dispatch().name; }

void f32_to_bf16(const float* src, uint16_t* dst, size_t n) {
  static const bool avx512 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  }();
  if (avx512) return round_bf16_avx512(src, dst, n);
  for (size_t i = 0; i < n; ++i) dst[i] = f32_to_bf16_round(src[i]);
}

void to_f32(DType dtype, const void* src, float* dst, size_t n) {
  switch (dtype) {
    case DType::BF16: return bf16_to_f32(static_cast<const uint16_t*>(src), dst, n);
    case DType::F16: return f16_to_f32(static_cast<const uint16_t*>(src), dst, n);
    case DType::F32: std::memcpy(dst, src, n * sizeof(float)); return;
    default: throw Error(std::string("cannot convert ") + dtype_name(dtype) + " to fp32 (weights must be BF16, F16 or F32)");
  }
}

}  // namespace dynamax
