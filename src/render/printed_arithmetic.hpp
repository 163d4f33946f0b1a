// printed_arithmetic.hpp: does the arithmetic a page prints hold for the
// numbers as they are printed?
//
// The focus view spells sums, differences and quotients with numbers rounded
// to a few decimals, while the engine works with the unrounded float32
// values. Four rounded weights can then add up to 1.0001 while their row sums
// to 1: printing "= 1.0000" after them would claim a sum the page does not
// show. These functions redo the printed arithmetic exactly, in decimal, on
// the printed digits, so that the page can write "=" when it holds and "≈"
// when it holds only before rounding. They compute nothing of attention: the
// numbers are the page's own text.
//
// A printed number is "12", "-0.5406" or "(-0.1)" (a factor in parentheses).
// "Holds" means: the exact value of the left-hand side, rounded to as many
// decimals as the result shows, is the result (a tie at half a unit holds
// either way). Every function answers nullopt when it cannot tell: a piece
// that is not a printed number (nan, inf) or digits too many for 128 bits.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace attn {

// A printed number read once, for pages that check many equations with it
// (the HTML page checks every cell's arithmetic): units × 10^-scale.
__extension__ typedef __int128 PrintedUnits;  // GCC and Clang; __extension__ keeps -Wpedantic quiet
struct PrintedNumber {
  bool readable = false;  // false: nan, inf, or digits too many for 128 bits
  PrintedUnits units = 0;
  int scale = 0;
};
PrintedNumber read_printed(std::string_view text);

// read_printed(format_number(value, precision)), without making the text.
PrintedNumber printed_value(float value, int precision);

// Σ a[k]×b[k] = result? (a dot product of two printed rows). REQUIRES: a.size() == b.size().
std::optional<bool> dot_holds(std::span<const PrintedNumber> a, std::span<const PrintedNumber> b,
                              const PrintedNumber& result);

// Σ terms = result?
std::optional<bool> sum_holds(std::span<const PrintedNumber> terms, const PrintedNumber& result);

// a × b × c = result?
std::optional<bool> product_holds(const PrintedNumber& a, const PrintedNumber& b, const PrintedNumber& c,
                                  const PrintedNumber& result);

// a / b = result? (Never when b is 0.)
std::optional<bool> quotient_holds(const PrintedNumber& a, const PrintedNumber& b, const PrintedNumber& result);

// terms: each "a" or "a×b". Does Σ terms = result?
std::optional<bool> sum_holds(const std::vector<std::string>& terms, std::string_view result);

// The exact sum of terms as printed ("1.0001"), at the largest number of
// decimals among them; nullopt when it cannot tell.
std::optional<std::string> printed_sum(const std::vector<std::string>& terms);

// Does a − b = result?
std::optional<bool> difference_holds(std::string_view a, std::string_view b, std::string_view result);

// Does a × b = result?
std::optional<bool> product_holds(std::string_view a, std::string_view b, std::string_view result);

// Does a / b = result? (Never when b is 0.)
std::optional<bool> quotient_holds(std::string_view a, std::string_view b, std::string_view result);

}  // namespace attn
