#include "attn/matrix.hpp"

namespace attn {

Matrix::Matrix(std::size_t r, std::size_t c, float fill) : rows(r), cols(c), data(r * c, fill) {}

Matrix columns(const Matrix& m, std::size_t first, std::size_t count) {
  Matrix out(m.rows, count);
  for (std::size_t i = 0; i < m.rows; ++i)
    for (std::size_t c = 0; c < count; ++c) out(i, c) = m(i, first + c);
  return out;
}

Matrix hconcat(std::span<const std::reference_wrapper<const Matrix>> parts) {
  std::size_t cols = 0;
  for (const Matrix& part : parts) cols += part.cols;
  Matrix out(parts.front().get().rows, cols);
  std::size_t first = 0;  // the part's first column in out
  for (const Matrix& part : parts) {
    for (std::size_t i = 0; i < out.rows; ++i)
      for (std::size_t c = 0; c < part.cols; ++c) out(i, first + c) = part(i, c);
    first += part.cols;
  }
  return out;
}

}  // namespace attn
