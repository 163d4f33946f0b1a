// torch_random.hpp: PyTorch's CPU random generator, reproduced draw for draw.
//
// torch.manual_seed(seed) seeds a standard 32-bit Mersenne Twister (MT19937)
// with the low 32 bits of the seed; every later draw reads that one stream.
// TorchGenerator promises the same stream and the same conversions, so that
//
//   TorchGenerator gen(123);  Matrix W_query = gen.rand(3, 2);
//
// holds the very floats that `torch.manual_seed(123); torch.rand(3, 2)` prints.
//
//   rand():      one 32-bit draw; its low 24 bits times 2^-24, a float in [0, 1).
//   uniform(a, b): the same 24-bit fraction x, then x * (b - a) + a, with a and b
//                as floats and the product in double, rounded to float (what
//                tensor.uniform_(a, b) does on the CPU).
//   random64():  two 32-bit draws, the first as the high half (dropout's draw).
//
// Draws are consumed in row-major order, as PyTorch fills a contiguous tensor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>

#include "attn/matrix.hpp"

namespace attn {

class TorchGenerator {
 public:
  // torch.manual_seed(seed).
  explicit TorchGenerator(std::uint64_t seed);

  std::uint32_t random();    // one raw 32-bit draw
  std::uint64_t random64();  // two raw draws: (first << 32) | second

  float rand();                          // torch.rand(1) element
  float uniform(float from, float to);  // tensor.uniform_(from, to) element

  // torch.rand(rows, cols).
  Matrix rand(std::size_t rows, std::size_t cols);

 private:
  std::mt19937 engine_;
};

}  // namespace attn
