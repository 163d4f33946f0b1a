// The matrix product of the book's attention (matmul.hpp), tiled for the
// registers. Compiled with -ffp-contract=off (src/engine/CMakeLists.txt): every
// product is rounded before it is added, as the printed digits need.
#include "matmul.hpp"

#include <algorithm>

namespace attn {

namespace {

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ATTN_AVX2_CLONE __attribute__((target_clones("avx2", "default")))
#else
#define ATTN_AVX2_CLONE
#endif

constexpr std::size_t kRows = 4;   // rows of a that share each read of b
constexpr std::size_t kCols = 16;  // columns of out kept in registers over the whole sum

}  // namespace

// Out is worked through in tiles of 4 rows × 16 columns, each held in registers while k runs; the
// innermost loop walks 16 columns along a row of b, which the compiler vectorises (and widens to
// AVX2 on a processor that has it). Tiles cut short by the matrix's edge take the plain loops.
ATTN_AVX2_CLONE
void multiply_add(const Matrix& a, const Matrix& b, Matrix& out) {
  const std::size_t inner = a.cols, cols = b.cols;
  for (std::size_t i0 = 0; i0 < a.rows; i0 += kRows) {
    const std::size_t rows = std::min(kRows, a.rows - i0);
    for (std::size_t j0 = 0; j0 < cols; j0 += kCols) {
      if (cols - j0 < kCols) {
        for (std::size_t k = 0; k < inner; ++k)
          for (std::size_t i = i0; i < i0 + rows; ++i)
            for (std::size_t j = j0; j < cols; ++j) out(i, j) += a(i, k) * b(k, j);
        continue;
      }
      // A row past the edge repeats the last one (its sums are not stored).
      const float* __restrict a0 = &a.data[(i0 + std::min<std::size_t>(0, rows - 1)) * inner];
      const float* __restrict a1 = &a.data[(i0 + std::min<std::size_t>(1, rows - 1)) * inner];
      const float* __restrict a2 = &a.data[(i0 + std::min<std::size_t>(2, rows - 1)) * inner];
      const float* __restrict a3 = &a.data[(i0 + std::min<std::size_t>(3, rows - 1)) * inner];
      float acc0[kCols], acc1[kCols], acc2[kCols], acc3[kCols];
      for (std::size_t j = 0; j < kCols; ++j) {
        acc0[j] = out(i0, j0 + j);
        acc1[j] = rows > 1 ? out(i0 + 1, j0 + j) : 0.0f;
        acc2[j] = rows > 2 ? out(i0 + 2, j0 + j) : 0.0f;
        acc3[j] = rows > 3 ? out(i0 + 3, j0 + j) : 0.0f;
      }
      for (std::size_t k = 0; k < inner; ++k) {
        const float* __restrict b_row = &b.data[k * cols + j0];
        for (std::size_t j = 0; j < kCols; ++j) {
          acc0[j] += a0[k] * b_row[j];
          acc1[j] += a1[k] * b_row[j];
          acc2[j] += a2[k] * b_row[j];
          acc3[j] += a3[k] * b_row[j];
        }
      }
      const float* const acc[kRows] = {acc0, acc1, acc2, acc3};
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < kCols; ++j) out(i0 + r, j0 + j) = acc[r][j];
    }
  }
}

}  // namespace attn
