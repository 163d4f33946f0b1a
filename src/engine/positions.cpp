#include "positions.hpp"

#include <cmath>

namespace attn {

Matrix sinusoidal_encoding(std::size_t n, std::size_t d) {
  Matrix pe(n, d);
  // each row pos, each pair of columns (2i, 2i + 1): the sine and cosine of pos / 10000^(2i / d).
  for (std::size_t pos = 0; pos < n; ++pos) {
    for (std::size_t c = 0; c < d; ++c) {
      const std::size_t two_i = c - c % 2;
      const double angle = static_cast<double>(pos) / std::pow(10000.0, static_cast<double>(two_i) / static_cast<double>(d));
      pe(pos, c) = static_cast<float>(c % 2 == 0 ? std::sin(angle) : std::cos(angle));
    }
  }
  return pe;
}

}  // namespace attn
