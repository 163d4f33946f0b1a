// answer_compare.hpp: an Answer (answer.hpp) against the exercise's value.
//
// closeness() compares at the precision an exercise asks for: "to four
// decimals" accepts each number within half a unit of the fourth decimal, or
// one that rounds to the same four decimals; an answer written with fewer
// decimals than asked is neither right nor wrong when it agrees with the value
// as far as its decimals go.
#pragma once

#include <string>

#include "attn/teach/answer.hpp"

namespace attn {

// The precision an exercise asks for: `decimals` ("to four decimals") and the
// largest difference accepted, half a unit of the last decimal unless the
// exercise widens it. REQUIRES: 0 ≤ decimals ≤ 17, tolerance ≥ 0.
struct Precision {
  int decimals = 4;
  double tolerance = 0.5e-4;
};

// How `given` compares with `value` (see the top of this file), from the closest:
enum class Closeness {
  printed,           // every number equals the value to the decimals asked: within
                     // half a unit of the last one, or rounding to the same digits
  within_tolerance,  // not that, but every number within the tolerance
  too_few_decimals,  // some number has fewer decimals than asked, and every number
                     // is either printed-equal or agrees to the decimals it has
  different,         // anything else: another length, a non-finite number, another token
};
// Tokens are printed-equal as answers_match() finds them, else different.
// A number and a vector of length 1 compare as numbers.
Closeness closeness(const Answer& given, const Answer& value, const Precision& precision);

// "four decimals", "one decimal", "no decimals": for messages. REQUIRES: decimals ≥ 0.
std::string decimals_words(int decimals);
// Whether the tolerance is wider than half a unit of the last decimal asked.
bool widened(const Precision& precision);

// Whether `given` equals `correct`: numbers and each vector component within
// `tolerance` (absolute, inclusive, with a few units of rounding slack so that
// 0.9549 matches 0.9544 at 5e-4), vectors of the same length, tokens equal as
// text or ignoring ASCII case, a model's token with or without its leading "·". A number and a vector of length 1 compare as
// numbers; non-finite values never match. REQUIRES: tolerance ≥ 0.
bool answers_match(const Answer& given, const Answer& correct, double tolerance);

}  // namespace attn
