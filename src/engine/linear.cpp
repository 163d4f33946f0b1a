#include "linear.hpp"

#include <algorithm>
#include <vector>

#include "parallel.hpp"

namespace attn {

namespace {

constexpr std::size_t kRows = 4;    // tokens that share each read of W
constexpr std::size_t kCols = 16;   // columns of y kept in registers at once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ATTN_AVX2_CLONE __attribute__((target_clones("arch=haswell", "default")))
#else
#define ATTN_AVX2_CLONE
#endif

// y(r0..r0+rows, j0..j0+cols) = x(r0..r0+rows, :) · panel, rows ≤ kRows, cols ≤ kCols,
// where panel holds W's columns j0..j0+cols, in × kCols, row k after row k - 1 (so
// the loop over k reads it straight through memory).
ATTN_AVX2_CLONE
void block(const Matrix& x, const float* __restrict panel, std::size_t r0, std::size_t rows, std::size_t j0,
           std::size_t cols, Matrix& y) {
  const std::size_t in = x.cols;
  if (rows == kRows) {
    // The common case: four tokens at once, fixed bounds the compiler unrolls and vectorises.
    float acc0[kCols] = {}, acc1[kCols] = {}, acc2[kCols] = {}, acc3[kCols] = {};
    const float* __restrict x0 = &x.data[r0 * in];
    const float* __restrict x1 = x0 + in;
    const float* __restrict x2 = x1 + in;
    const float* __restrict x3 = x2 + in;
    for (std::size_t k = 0; k < in; ++k) {
      const float* __restrict w = panel + k * kCols;
      const float a0 = x0[k], a1 = x1[k], a2 = x2[k], a3 = x3[k];
      for (std::size_t j = 0; j < kCols; ++j) {
        acc0[j] += a0 * w[j];
        acc1[j] += a1 * w[j];
        acc2[j] += a2 * w[j];
        acc3[j] += a3 * w[j];
      }
    }
    for (std::size_t j = 0; j < cols; ++j) {
      y(r0, j0 + j) = acc0[j];
      y(r0 + 1, j0 + j) = acc1[j];
      y(r0 + 2, j0 + j) = acc2[j];
      y(r0 + 3, j0 + j) = acc3[j];
    }
    return;
  }
  for (std::size_t r = 0; r < rows; ++r) {
    float acc[kCols] = {};
    for (std::size_t k = 0; k < in; ++k)
      for (std::size_t j = 0; j < kCols; ++j) acc[j] += x(r0 + r, k) * panel[k * kCols + j];
    for (std::size_t j = 0; j < cols; ++j) y(r0 + r, j0 + j) = acc[j];
  }
}

}  // namespace

Matrix linear(const Matrix& x, std::span<const float> W, std::span<const float> bias, std::size_t out) {
  Matrix y(x.rows, out);
  const std::size_t column_blocks = (out + kCols - 1) / kCols;
  parallel_for(column_blocks, [&](std::size_t first, std::size_t last) {
    std::vector<float> panel(x.cols * kCols);
    for (std::size_t b = first; b < last; ++b) {
      // W's columns j0 … j0 + cols, copied side by side (zeros past the last column).
      const std::size_t j0 = b * kCols, cols = std::min(kCols, out - j0);
      for (std::size_t k = 0; k < x.cols; ++k)
        for (std::size_t j = 0; j < kCols; ++j) panel[k * kCols + j] = j < cols ? W[k * out + j0 + j] : 0.0f;
      for (std::size_t r0 = 0; r0 < x.rows; r0 += kRows) block(x, panel.data(), r0, std::min(kRows, x.rows - r0), j0, cols, y);
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
