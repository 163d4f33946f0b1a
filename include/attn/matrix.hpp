// matrix.hpp: a plain row-major float32 matrix, the only container the engine uses.
//
// A Matrix is a value: rows × cols floats stored row after row, so m(i, j) is
// row i, column j exactly as the book writes tensors. There is no arithmetic
// here on purpose: the engine (attention.cpp) spells every loop out where a
// learner can read it. Only copies: a row, a block of columns (one head's share
// of a projection), blocks side by side (the heads' context vectors).
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace attn {

struct Matrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<float> data;  // rows * cols values, row-major

  Matrix() = default;
  Matrix(std::size_t rows, std::size_t cols, float fill = 0.0f);

  // REQUIRES: r < rows, c < cols.
  float& operator()(std::size_t r, std::size_t c) { return data[r * cols + c]; }
  float operator()(std::size_t r, std::size_t c) const { return data[r * cols + c]; }

  // Row r, read-only. REQUIRES: r < rows.
  std::span<const float> row(std::size_t r) const { return {data.data() + r * cols, cols}; }
  // Row r, to write in place. REQUIRES: r < rows.
  std::span<float> row(std::size_t r) { return {data.data() + r * cols, cols}; }

  bool empty() const { return rows == 0 || cols == 0; }
  friend bool operator==(const Matrix&, const Matrix&) = default;
};

// Row r of m as a vector of its own. REQUIRES: r < m.rows.
inline std::vector<float> row_of(const Matrix& m, std::size_t r) {
  const std::span<const float> row = m.row(r);
  return {row.begin(), row.end()};
}

// Columns [first, first + count) of m: m.rows × count.
// REQUIRES: first + count ≤ m.cols.
Matrix columns(const Matrix& m, std::size_t first, std::size_t count);

// The parts side by side, each one's columns after the previous one's:
// rows × (Σ cols), as torch.cat(parts, dim=-1) joins the heads' context vectors.
// REQUIRES: parts is not empty; every part has the rows of the first.
Matrix hconcat(std::span<const std::reference_wrapper<const Matrix>> parts);

}  // namespace attn
