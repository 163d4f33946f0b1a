// linear_kernels.hpp: the paths of linear.cpp (private to the engine).
//
// Each panels_* computes y(i, 16p + j) for rows i < rows, panels p < count and 16p + j < cols
// (y's rows `out` apart): acc = fma(x(i, k), w[p · stride + k · ldw + j], acc), k ascending
// from acc = 0. Panel p's row k is 16 floats at w + p · stride + k · ldw.
// Each dot_rows_* computes scores[v] = Σ_k a[k] · rows[v · n + k] the same way, v in [v0, v1).
// REQUIRES: the x86 ones only where kernel_supported() says so.
#pragma once

#include <cstddef>

namespace attn::kernels {

void panels_generic(const float* x, std::size_t rows, std::size_t in, const float* w, std::size_t ldw, std::size_t stride,
                    std::size_t count, float* y, std::size_t out, std::size_t cols);
void dot_rows_generic(const float* a, std::size_t n, const float* rows, std::size_t v0, std::size_t v1, float* scores);

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ATTN_X86_KERNELS 1
void panels_avx2(const float* x, std::size_t rows, std::size_t in, const float* w, std::size_t ldw, std::size_t stride,
                 std::size_t count, float* y, std::size_t out, std::size_t cols);
void panels_avx512(const float* x, std::size_t rows, std::size_t in, const float* w, std::size_t ldw, std::size_t stride,
                   std::size_t count, float* y, std::size_t out, std::size_t cols);
void dot_rows_fma(const float* a, std::size_t n, const float* rows, std::size_t v0, std::size_t v1, float* scores);
#endif

}  // namespace attn::kernels
