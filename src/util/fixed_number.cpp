// A float at a fixed number of decimals. See fixed_number.hpp.
#include "attn/util/fixed_number.hpp"

#include <cmath>
#include <cstdint>

#include <fmt/format.h>

namespace attn {

namespace {

constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

// Integers up to this many units of the last decimal are written digit by digit.
constexpr double kLargestScaled = 9e18;

std::size_t write_text(char* out, const char* text, std::size_t size) {
  for (std::size_t k = 0; k < size; ++k) out[k] = text[k];
  return size;
}

// Through fmt, for values whose scaled integer does not fit 64 bits.
std::size_t write_large(char* out, float value, int precision) {
  const auto end = fmt::format_to_n(out, kFixedChars, "{:.{}f}", value, precision);
  return static_cast<std::size_t>(end.out - out);
}

}  // namespace

std::optional<std::int64_t> fixed_units(float value, int precision) {
  if (!std::isfinite(value)) return std::nullopt;
  const double scaled = std::nearbyint(static_cast<double>(value) * kPowersOfTen[precision]);
  if (std::fabs(scaled) >= kLargestScaled) return std::nullopt;
  return static_cast<std::int64_t>(scaled);
}

std::size_t write_fixed(char* out, float value, int precision) {
  if (std::isnan(value)) return write_text(out, "nan", 3);
  if (std::isinf(value)) return value > 0 ? write_text(out, "inf", 3) : write_text(out, "-inf", 4);
  // Exact product; nearbyint rounds ties to even, as fmt does.
  const double scaled = std::nearbyint(static_cast<double>(value) * kPowersOfTen[precision]);
  if (std::fabs(scaled) >= kLargestScaled) return write_large(out, value, precision);
  std::uint64_t units = static_cast<std::uint64_t>(std::fabs(scaled));
  // The digits, last first, at least one before the point.
  char digits[24];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + units % 10);
    units /= 10;
  } while (units != 0);
  while (count < precision + 1) digits[count++] = '0';
  char* at = out;
  if (scaled < 0) *at++ = '-';  // a value rounded to zero is -0.0 here, never below 0: no sign
  for (int k = count - 1; k >= precision; --k) *at++ = digits[k];
  if (precision > 0) {
    *at++ = '.';
    for (int k = precision - 1; k >= 0; --k) *at++ = digits[k];
  }
  return static_cast<std::size_t>(at - out);
}

void append_fixed(std::string& out, float value, int precision) {
  char text[kFixedChars];
  out.append(text, write_fixed(text, value, precision));
}

}  // namespace attn
