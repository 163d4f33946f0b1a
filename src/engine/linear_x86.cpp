// linear.cpp's AVX2 and AVX-512 paths: each function carries its own target
// attribute, so the rest of the program stays plain x86-64 and these run only where
// kernel_supported() found the instructions.
//
// A tile is R tokens × P panels (16 columns each) kept in registers for the whole
// sum: each step k reads row k of the P panels once and, for each token, broadcasts
// x(i, k) and adds it times the panel row with one fused multiply-add per vector. So
// each output is acc = fma(x(i, k), W(k, j), acc), k ascending from 0, as on the
// generic path.
#include "linear_kernels.hpp"

#ifdef ATTN_X86_KERNELS

#include <immintrin.h>

#include <algorithm>
#include <cmath>

namespace attn::kernels {

namespace {

constexpr std::size_t kWidth = 16;

#define ATTN_AVX2 __attribute__((target("avx2,fma")))
#define ATTN_AVX512 __attribute__((target("avx512f")))

// AVX2: R ≤ 6 tokens × one panel, 2R accumulators of 8 floats (at most 12 of 16 registers).
template <std::size_t R>
ATTN_AVX2 void tile_avx2(const float* x, std::size_t in, const float* panel, std::size_t ldw, float* y,
                         std::size_t out, std::size_t cols) {
  __m256 lo[R], hi[R];
  #pragma GCC unroll 8
  for (std::size_t r = 0; r < R; ++r) lo[r] = hi[r] = _mm256_setzero_ps();
  for (std::size_t k = 0; k < in; ++k) {
    const __m256 w0 = _mm256_loadu_ps(panel + k * ldw), w1 = _mm256_loadu_ps(panel + k * ldw + 8);
    #pragma GCC unroll 8
    for (std::size_t r = 0; r < R; ++r) {
      const __m256 a = _mm256_broadcast_ss(x + r * in + k);
      lo[r] = _mm256_fmadd_ps(a, w0, lo[r]);
      hi[r] = _mm256_fmadd_ps(a, w1, hi[r]);
    }
  }
  #pragma GCC unroll 8
  for (std::size_t r = 0; r < R; ++r) {
    if (cols == kWidth) {
      _mm256_storeu_ps(y + r * out, lo[r]);
      _mm256_storeu_ps(y + r * out + 8, hi[r]);
    } else {
      alignas(32) float row[kWidth];
      _mm256_store_ps(row, lo[r]);
      _mm256_store_ps(row + 8, hi[r]);
      std::copy_n(row, cols, y + r * out);
    }
  }
}

// AVX-512: R ≤ 8 tokens × P ≤ 3 panels, R·P accumulators of 16 floats (at most 24 of 32).
template <std::size_t R, std::size_t P>
ATTN_AVX512 void tile_avx512(const float* x, std::size_t in, const float* panels, std::size_t ldw,
                             std::size_t stride, float* y, std::size_t out, std::size_t cols) {
  __m512 acc[R][P];
  #pragma GCC unroll 8
  for (std::size_t r = 0; r < R; ++r)
    #pragma GCC unroll 8
    for (std::size_t p = 0; p < P; ++p) acc[r][p] = _mm512_setzero_ps();
  for (std::size_t k = 0; k < in; ++k) {
    __m512 w[P];
    #pragma GCC unroll 8
    for (std::size_t p = 0; p < P; ++p) w[p] = _mm512_loadu_ps(panels + p * stride + k * ldw);
    #pragma GCC unroll 8
    for (std::size_t r = 0; r < R; ++r) {
      const __m512 a = _mm512_set1_ps(x[r * in + k]);
      #pragma GCC unroll 8
      for (std::size_t p = 0; p < P; ++p) acc[r][p] = _mm512_fmadd_ps(a, w[p], acc[r][p]);
    }
  }
  #pragma GCC unroll 8
  for (std::size_t r = 0; r < R; ++r)
    #pragma GCC unroll 8
    for (std::size_t p = 0; p < P; ++p) {
      const std::size_t first = p * kWidth;
      if (first >= cols) break;
      const std::size_t n = std::min(kWidth, cols - first);
      const __mmask16 mask = static_cast<__mmask16>((1u << n) - 1u);
      _mm512_mask_storeu_ps(y + r * out + first, mask, acc[r][p]);
    }
}

template <std::size_t P>
ATTN_AVX512 void rows_avx512(std::size_t R, const float* x, std::size_t in, const float* panels, std::size_t ldw,
                             std::size_t stride, float* y, std::size_t out, std::size_t cols) {
  switch (R) {
    case 8: tile_avx512<8, P>(x, in, panels, ldw, stride, y, out, cols); break;
    case 7: tile_avx512<7, P>(x, in, panels, ldw, stride, y, out, cols); break;
    case 6: tile_avx512<6, P>(x, in, panels, ldw, stride, y, out, cols); break;
    case 5: tile_avx512<5, P>(x, in, panels, ldw, stride, y, out, cols); break;
    case 4: tile_avx512<4, P>(x, in, panels, ldw, stride, y, out, cols); break;
    case 3: tile_avx512<3, P>(x, in, panels, ldw, stride, y, out, cols); break;
    case 2: tile_avx512<2, P>(x, in, panels, ldw, stride, y, out, cols); break;
    default: tile_avx512<1, P>(x, in, panels, ldw, stride, y, out, cols); break;
  }
}

}  // namespace

ATTN_AVX2 void panels_avx2(const float* x, std::size_t rows, std::size_t in, const float* w, std::size_t ldw,
                           std::size_t stride, std::size_t count, float* y, std::size_t out, std::size_t cols) {
  constexpr std::size_t kRows = 6;
  for (std::size_t p = 0; p < count; ++p) {
    const float* panel = w + p * stride;
    const std::size_t j0 = p * kWidth, n = std::min(kWidth, cols - j0);
    for (std::size_t r0 = 0; r0 < rows; r0 += kRows) {
      const float* xr = x + r0 * in;
      float* yr = y + r0 * out + j0;
      switch (std::min(kRows, rows - r0)) {
        case 6: tile_avx2<6>(xr, in, panel, ldw, yr, out, n); break;
        case 5: tile_avx2<5>(xr, in, panel, ldw, yr, out, n); break;
        case 4: tile_avx2<4>(xr, in, panel, ldw, yr, out, n); break;
        case 3: tile_avx2<3>(xr, in, panel, ldw, yr, out, n); break;
        case 2: tile_avx2<2>(xr, in, panel, ldw, yr, out, n); break;
        default: tile_avx2<1>(xr, in, panel, ldw, yr, out, n); break;
      }
    }
  }
}

ATTN_AVX512 void panels_avx512(const float* x, std::size_t rows, std::size_t in, const float* w, std::size_t ldw,
                               std::size_t stride, std::size_t count, float* y, std::size_t out, std::size_t cols) {
  constexpr std::size_t kRows = 8, kPanels = 3;
  for (std::size_t p = 0; p < count; p += kPanels) {
    const std::size_t np = std::min(kPanels, count - p), j0 = p * kWidth, n = std::min(np * kWidth, cols - j0);
    const float* group = w + p * stride;
    for (std::size_t r0 = 0; r0 < rows; r0 += kRows) {
      const std::size_t nr = std::min(kRows, rows - r0);
      const float* xr = x + r0 * in;
      float* yr = y + r0 * out + j0;
      if (np == 3) rows_avx512<3>(nr, xr, in, group, ldw, stride, yr, out, n);
      else if (np == 2) rows_avx512<2>(nr, xr, in, group, ldw, stride, yr, out, n);
      else rows_avx512<1>(nr, xr, in, group, ldw, stride, yr, out, n);
    }
  }
}

// The generic path's loop, compiled where std::fma is one instruction.
ATTN_AVX2 void dot_rows_fma(const float* a, std::size_t n, const float* rows, std::size_t v0, std::size_t v1,
                            float* scores) {
  constexpr std::size_t kRows = 8;
  for (std::size_t v = v0; v < v1; v += kRows) {
    const std::size_t nv = std::min(kRows, v1 - v);
    float acc[kRows] = {};
    if (nv == kRows) {
      for (std::size_t k = 0; k < n; ++k)
        for (std::size_t r = 0; r < kRows; ++r) acc[r] = __builtin_fmaf(a[k], rows[(v + r) * n + k], acc[r]);
    } else {
      for (std::size_t k = 0; k < n; ++k)
        for (std::size_t r = 0; r < nv; ++r) acc[r] = __builtin_fmaf(a[k], rows[(v + r) * n + k], acc[r]);
    }
    std::copy_n(acc, nv, scores + v);
  }
}

}  // namespace attn::kernels

#endif
