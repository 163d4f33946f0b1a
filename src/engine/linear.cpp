#include "linear.hpp"

#include <algorithm>

#include "parallel.hpp"

namespace attn {

namespace {

constexpr std::size_t kRows = 4;    // tokens that share each read of W
constexpr std::size_t kCols = 16;   // columns of y kept in registers at once

// y(r0..r0+rows, j0..j0+cols) = x(...) · W(:, j0..j0+cols), rows ≤ kRows, cols ≤ kCols.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ATTN_AVX2_CLONE __attribute__((target_clones("arch=haswell", "default")))
#else
#define ATTN_AVX2_CLONE
#endif

ATTN_AVX2_CLONE
void block(const Matrix& x, const float* W, std::size_t out, std::size_t r0, std::size_t rows, std::size_t j0,
           std::size_t cols, Matrix& y) {
  float acc[kRows][kCols] = {};
  const std::size_t in = x.cols;
  if (rows == kRows && cols == kCols) {
    // The common case, with fixed bounds the compiler unrolls and vectorises.
    for (std::size_t k = 0; k < in; ++k) {
      const float* w = W + k * out + j0;
      for (std::size_t r = 0; r < kRows; ++r) {
        const float a = x(r0 + r, k);
        for (std::size_t j = 0; j < kCols; ++j) acc[r][j] += a * w[j];
      }
    }
  } else {
    for (std::size_t k = 0; k < in; ++k) {
      const float* w = W + k * out + j0;
      for (std::size_t r = 0; r < rows; ++r) {
        const float a = x(r0 + r, k);
        for (std::size_t j = 0; j < cols; ++j) acc[r][j] += a * w[j];
      }
    }
  }
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < cols; ++j) y(r0 + r, j0 + j) = acc[r][j];
}

}  // namespace

Matrix linear(const Matrix& x, std::span<const float> W, std::span<const float> bias, std::size_t out) {
  Matrix y(x.rows, out);
  const std::size_t column_blocks = (out + kCols - 1) / kCols;
  parallel_for(column_blocks, [&](std::size_t first, std::size_t last) {
    for (std::size_t b = first; b < last; ++b) {
      const std::size_t j0 = b * kCols, cols = std::min(kCols, out - j0);
      for (std::size_t r0 = 0; r0 < x.rows; r0 += kRows)
        block(x, W.data(), out, r0, std::min(kRows, x.rows - r0), j0, cols, y);
    }
  });
  if (!bias.empty())
    for (std::size_t i = 0; i < y.rows; ++i)
      for (std::size_t j = 0; j < out; ++j) y(i, j) += bias[j];
  return y;
}

float dot(std::span<const float> a, std::span<const float> b) {
  float sum = 0.0f;
  for (std::size_t k = 0; k < a.size(); ++k) sum += a[k] * b[k];
  return sum;
}

}  // namespace attn
