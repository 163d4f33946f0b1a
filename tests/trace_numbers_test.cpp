// The trace's promise for numbers (docs/trace-format.md, issue 23 item 17):
// each float32 is written as the shortest decimal that reads back to the same
// float32. Checked on 300,000 floats against a brute-force search for the
// shortest digits, and on a few against Python's repr(numpy.float32(x)).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <bit>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/explorer.hpp"
#include "test_util.hpp"
#include "attn/trace_json.hpp"

namespace attn {
namespace {

// The significant digits of a decimal such as "-0.00012300" or "1.5e+16": "123", "15".
std::string significant_digits(const std::string& decimal) {
  std::string digits;
  for (const char c : decimal.substr(0, decimal.find('e'))) {
    if (c >= '0' && c <= '9') digits += c;
  }
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  digits.erase(digits.find_last_not_of('0') + 1);
  return digits;
}

bool reads_back(const std::string& decimal, float x) {
  return std::bit_cast<std::uint32_t>(std::strtof(decimal.c_str(), nullptr)) == std::bit_cast<std::uint32_t>(x);
}

// The fewest significant digits of any decimal that reads back to x, by search:
// for p = 1, 2, ... the p-digit decimals just below and just above x (the
// correctly rounded one and its two neighbours) are tried. REQUIRES: x finite, ≠ 0.
std::size_t fewest_digits(float x) {
  for (int p = 1; p <= 9; ++p) {
    char rounded[64];
    std::snprintf(rounded, sizeof rounded, "%.*e", p - 1, static_cast<double>(std::fabs(x)));
    const std::string text(rounded);
    const std::string mantissa = text.substr(0, text.find('e'));
    std::string digits;
    for (const char c : mantissa)
      if (c != '.') digits += c;
    const long long whole = std::atoll(digits.c_str());
    const int exponent = std::atoi(text.c_str() + text.find('e') + 1) - (p - 1);
    for (const long long candidate : {whole - 1, whole, whole + 1}) {
      const std::string decimal = fmt::format("{}{}e{}", x < 0 ? "-" : "", candidate, exponent);
      if (candidate > 0 && reads_back(decimal, x)) return static_cast<std::size_t>(p);
    }
  }
  return 10;  // never: 9 digits always suffice for a float32
}

TEST(TraceNumbers, ShortestDigitsOfPythonsRepr) {
  // repr(numpy.float32(x)) gives the digits; the layout is the trace's (nlohmann's for a double).
  EXPECT_EQ(shortest_decimal(0.7088005f), "0.7088005");  // was 0.7088005000000001
  EXPECT_EQ(shortest_decimal(0.1f), "0.1");
  EXPECT_EQ(shortest_decimal(1.0f / 3.0f), "0.33333334");
  EXPECT_EQ(shortest_decimal(16777216.0f), "16777216.0");
  EXPECT_EQ(shortest_decimal(1.0f), "1.0");
  EXPECT_EQ(shortest_decimal(-2.5f), "-2.5");
  EXPECT_EQ(shortest_decimal(1e-5f), "1e-05");
  EXPECT_EQ(shortest_decimal(1e-4f), "0.0001");
  EXPECT_EQ(shortest_decimal(1e16f), "1e+16");
  EXPECT_EQ(shortest_decimal(1e15f), "1e+15");  // nlohmann::json(1e15).dump()
  EXPECT_EQ(shortest_decimal(999999900000000.0f), "999999900000000.0");
  EXPECT_EQ(shortest_decimal(1.2345679e14f), "123456790000000.0");
  EXPECT_EQ(shortest_decimal(3.4028235e38f), "3.4028235e+38");
  EXPECT_EQ(shortest_decimal(1.1754944e-38f), "1.1754944e-38");
  EXPECT_EQ(shortest_decimal(std::numeric_limits<float>::denorm_min()), "1e-45");
  EXPECT_EQ(shortest_decimal(0.0f), "0.0");
  EXPECT_EQ(shortest_decimal(-0.0f), "-0.0");
  EXPECT_EQ(shortest_decimal(std::numeric_limits<float>::quiet_NaN()), "null");
  EXPECT_EQ(shortest_decimal(-std::numeric_limits<float>::infinity()), "null");
}

// Every float read back is the same float, no decimal with fewer digits reads
// back to it, and where nlohmann's writer (the old one) was also shortest, the
// text is the same byte for byte.
TEST(TraceNumbers, EveryFloatIsShortestAndReadsBack) {
  std::mt19937 bits(23);
  std::vector<float> floats;
  for (int e = -149; e <= 127; ++e) {  // each power of two (asymmetric neighbours) and its neighbours
    const float p = std::ldexp(1.0f, e);
    floats.insert(floats.end(), {p, std::nextafter(p, 0.0f), std::nextafter(p, std::numeric_limits<float>::infinity())});
  }
  while (floats.size() < 300'000) {
    const float f = std::bit_cast<float>(static_cast<std::uint32_t>(bits()));
    if (std::isfinite(f)) floats.push_back(f);
  }
  std::size_t longer_before = 0;
  for (const float f : floats) {
    const std::string text = shortest_decimal(f);
    ASSERT_TRUE(reads_back(text, f)) << text;
    if (f == 0) continue;
    ASSERT_EQ(significant_digits(text).size(), fewest_digits(f)) << text;
    const std::string nlohmann = float_to_json(f).dump();
    if (nlohmann.size() == text.size()) {
      ASSERT_EQ(nlohmann, text);
    } else {
      ++longer_before;
    }
  }
  RecordProperty("longer_before", static_cast<int>(longer_before));
}

// The trace writer and the tree's layout both keep the promise.
TEST(TraceNumbers, TraceTextHoldsTheShortestDigits) {
  Request r;
  r.sentence = "Your journey starts";
  r.projection = Projection::rand;
  r.d_out = 2;
  Trace t = explore(r, load_table(test::bundled("journey.json")));
  t.output(0, 0) = 0.7088005f;
  t.heads[0].scale_divisor = 0.7088005f;
  for (const std::string& text : {trace_json_text(t), format_json(trace_to_json(t))}) {
    EXPECT_NE(text.find("[0.7088005, "), std::string::npos);
    EXPECT_NE(text.find("\"scale\": 0.7088005,"), std::string::npos);
    EXPECT_EQ(text.find("0.7088005000000001"), std::string::npos);
  }
}

}  // namespace
}  // namespace attn
