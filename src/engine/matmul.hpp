// matmul.hpp: out += a · b, the matrix product of the book's attention.
//
// attend_head() makes its queries, keys and values, its scores and its context
// vectors with this one function (passes 1, 2 and 7, attention.cpp). It sums
// out(i, j) += a(i, k) · b(k, j) for k from 0 up, each product rounded before it
// is added: the order PyTorch's float32 products sum in on the book's sizes, so
// the printed digits are PyTorch's. The loops are tiled for the registers (a
// tile of 4 rows × 16 columns of out stays in registers over the whole sum) and
// the compiler vectorises the columns, which changes no sum. The model runs'
// larger products are linear() (linear.hpp), which may fuse a multiply and an add.
#pragma once

#include "attn/matrix.hpp"

namespace attn {

// REQUIRES: a.cols = b.rows; out is a.rows × b.cols, and neither a nor b.
void multiply_add(const Matrix& a, const Matrix& b, Matrix& out);

}  // namespace attn
