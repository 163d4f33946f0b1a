// linear.hpp: y = x · W + b for a whole sentence at once, on every core.
//
// The one matrix product of the model runs (GPT-2's c_attn, c_proj, c_fc): the
// same sum as attention.cpp's project(), Σ_k x(i, k) · W(k, j), with k running
// from 0 up, then + b(j). The loops are arranged so the compiler vectorises them:
// sixteen columns of W are copied side by side (a panel read straight through),
// four tokens share each read of it, and the columns of y are split over the cores
// (parallel.hpp). On a processor with AVX2 and FMA a second copy of the loops
// uses them (multiplies and adds then round once, as BLAS libraries do).
#pragma once

#include <cstddef>
#include <span>

#include "attn/matrix.hpp"

namespace attn {

// REQUIRES: W.size() = x.cols · out; bias empty or of size out.
Matrix linear(const Matrix& x, std::span<const float> W, std::span<const float> bias, std::size_t out);

// Σ_k a(k) · b(k), k from 0 up, in float32: one dot product of two rows.
// REQUIRES: a.size() = b.size().
float dot(std::span<const float> a, std::span<const float> b);

}  // namespace attn
