// attention.hpp: scaled dot-product self-attention, computed with naive loops.
//
// attend() runs one head the way chapter 3 of Raschka's book and the other
// tutorials write it, and keeps every intermediate matrix:
//
//   queries = X · W_query,  keys = X · W_key,  values = X · W_value
//   attn_scores   = queries · keysᵀ                     (ω in the book)
//   scaled_scores = attn_scores / sqrt(d_k)             (d_k = keys' width)
//   attn_weights  = softmax of each row, max subtracted (α in the book)
//   context_vec   = attn_weights · values               (z in the book)
//
// All arithmetic is float32, summed left to right, like the book's loops.
// Without parameters (Projection::none) queries = keys = values = X.
#pragma once

#include <optional>

#include "attn/matrix.hpp"
#include "attn/parameters.hpp"
#include "attn/trace.hpp"

namespace attn {

// REQUIRES: inputs.rows ≥ 1; parameters, when given, have inputs.cols rows.
// With scale = false the divisor is 1 and scaled_scores equals attn_scores.
HeadTrace attend(const Matrix& inputs, const std::optional<Parameters>& parameters, bool scale);

}  // namespace attn
