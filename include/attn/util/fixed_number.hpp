// fixed_number.hpp: a float at a fixed number of decimals, fast and exactly as
// fmt's "{:.Nf}" writes it.
//
// Every table, page and trace number a learner reads is written with N
// decimals. fmt::format("{:.{}f}") parses its format string and goes through a
// general float printer for each one; a 2,048-token run prints 16 million of
// them. write_fixed() writes the same characters directly.
//
// Promises, for every float and every precision 0..9:
//   - The text is fmt's "{:.Nf}" of the value (the exact binary value rounded
//     to N decimals, ties to even), except that a value that rounds to zero is
//     never written with a minus sign ("-0.0000" is a rounding artefact a
//     learner would misread): "0.0000".
//   - NaN is "nan", infinities are "inf" and "-inf".
// How: for N <= 9, value × 10^N is exact in a double (a float's 24 bits times
// 5^N's at most 21 bits fit 53), so rounding it to an integer is rounding the
// exact value; the digits are that integer's. Values too large for that integer
// go through fmt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace attn {

// The most characters write_fixed() writes (a float's largest value, 9 decimals).
inline constexpr std::size_t kFixedChars = 64;

// The text's digits as one integer: the value in units of 10^-precision
// (rounded as the text is), when it is finite and under 9e18 units.
// REQUIRES: 0 <= precision <= 9.
std::optional<std::int64_t> fixed_units(float value, int precision);

// Writes the text into `out`; returns its length.
// REQUIRES: out has room for kFixedChars characters; 0 <= precision <= 9.
std::size_t write_fixed(char* out, float value, int precision);

// Appends the text to `out`.
void append_fixed(std::string& out, float value, int precision);

}  // namespace attn
