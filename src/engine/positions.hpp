// positions.hpp: the sinusoidal position encoding of "Attention Is All You Need"
// (Vaswani et al. 2017, section 3.5), which a table run adds to X with --positions sinusoidal.
//
//   PE(pos, 2i)     = sin(pos / 10000^(2i / d))
//   PE(pos, 2i + 1) = cos(pos / 10000^(2i / d))
//
// pos counts from 0 (the first token); i from 0 to d / 2. Promises: n × d, each value computed
// in double and rounded once to float32, so within 1e-7 of the formula.
#pragma once

#include <cstddef>

#include "attn/matrix.hpp"

namespace attn {

// REQUIRES: d ≥ 1 (an odd d's last column is a sine).
Matrix sinusoidal_encoding(std::size_t n, std::size_t d);

}  // namespace attn
