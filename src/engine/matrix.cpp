#include "attn/matrix.hpp"

namespace attn {

Matrix::Matrix(std::size_t r, std::size_t c, float fill) : rows(r), cols(c), data(r * c, fill) {}

}  // namespace attn
