// write_fixed() against the library it replaces: fmt's "{:.Nf}", for every
// precision, on random floats of every size, on exact ties, and at the edges.
#include "attn/util/fixed_number.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace attn {
namespace {

// fmt's text, with the one documented difference: no sign on a value shown as zero.
std::string reference(float value, int precision) {
  if (std::isnan(value)) return "nan";
  std::string s = fmt::format("{:.{}f}", value, precision);
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string fixed(float value, int precision) {
  std::string out;
  append_fixed(out, value, precision);
  return out;
}

float from_bits(std::uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

TEST(FixedNumber, RandomBitPatternsAreFmtsText) {
  std::mt19937 random(20261206);
  for (int k = 0; k < 300000; ++k) {
    const float v = from_bits(static_cast<std::uint32_t>(random()));
    const int p = k % 10;
    ASSERT_EQ(fixed(v, p), reference(v, p)) << "bits " << std::hex << std::bit_cast<std::uint32_t>(v) << " precision " << p;
  }
}

TEST(FixedNumber, NumbersOfTheSizeTablesHoldAreFmtsText) {
  std::mt19937 random(7);
  std::uniform_real_distribution<float> small(-50.0f, 50.0f);
  for (int k = 0; k < 300000; ++k) {
    const float v = small(random) * std::pow(10.0f, static_cast<float>(k % 7) - 3.0f);
    const int p = k % 10;
    ASSERT_EQ(fixed(v, p), reference(v, p)) << fmt::format("{:a}", v) << " precision " << p;
  }
}

TEST(FixedNumber, ExactTiesRoundToEvenAsFmtDoes) {
  // Values exactly halfway between two printed numbers: k / 2^j.
  for (int j = 1; j <= 12; ++j) {
    for (int k = -4000; k <= 4000; ++k) {
      const float v = std::ldexp(static_cast<float>(k), -j);
      for (int p = 0; p <= 9; ++p) ASSERT_EQ(fixed(v, p), reference(v, p)) << v << " precision " << p;
    }
  }
  EXPECT_EQ(fixed(0.5f, 0), "0");
  EXPECT_EQ(fixed(1.5f, 0), "2");
  EXPECT_EQ(fixed(2.5f, 0), "2");
  EXPECT_EQ(fixed(0.125f, 2), "0.12");
  EXPECT_EQ(fixed(0.375f, 2), "0.38");
}

TEST(FixedNumber, EdgesAndSpecialValues) {
  const float big = std::numeric_limits<float>::max(), tiny = std::numeric_limits<float>::denorm_min();
  for (int p = 0; p <= 9; ++p) {
    for (float v : {0.0f, -0.0f, big, -big, tiny, -tiny, 1e18f, -9.3e18f, 1e10f, 0.99999f, -0.00004f, 1.0f, -1.0f}) {
      EXPECT_EQ(fixed(v, p), reference(v, p)) << v << " precision " << p;
    }
  }
  EXPECT_EQ(fixed(-0.00004f, 4), "0.0000");  // not "-0.0000"
  EXPECT_EQ(fixed(-0.00006f, 4), "-0.0001");
  EXPECT_EQ(fixed(std::nanf(""), 4), "nan");
  EXPECT_EQ(fixed(-std::numeric_limits<float>::infinity(), 2), "-inf");
  EXPECT_EQ(fixed(std::numeric_limits<float>::infinity(), 2), "inf");
  char text[kFixedChars];
  EXPECT_LE(write_fixed(text, -big, 9), kFixedChars);
}

}  // namespace
}  // namespace attn
