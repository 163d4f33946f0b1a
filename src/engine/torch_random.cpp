#include "torch_random.hpp"

namespace attn {

namespace {
// float has a 24-bit significand: torch keeps that many low bits of a draw.
constexpr std::uint32_t kFloatMask = (1u << 24) - 1;
constexpr double kFloatDivisor = 1.0 / (1u << 24);
}  // namespace

TorchGenerator::TorchGenerator(std::uint64_t seed)
    : engine_(static_cast<std::uint32_t>(seed & 0xffffffffu)) {}

std::uint32_t TorchGenerator::random() { return static_cast<std::uint32_t>(engine_()); }

std::uint64_t TorchGenerator::random64() {
  const std::uint64_t hi = random();
  const std::uint64_t lo = random();
  return (hi << 32) | lo;
}

float TorchGenerator::rand() { return uniform(0.0f, 1.0f); }

// PyTorch casts the bounds to float, takes their difference in float, and
// scales the fraction in double before rounding the result to float.
float TorchGenerator::uniform(float from, float to) {
  const double x = static_cast<double>(random() & kFloatMask) * kFloatDivisor;
  const float width = to - from;
  return static_cast<float>(x * width + from);
}

Matrix TorchGenerator::rand(std::size_t rows, std::size_t cols) {
  Matrix m(rows, cols);
  for (float& v : m.data) v = rand();
  return m;
}

}  // namespace attn
