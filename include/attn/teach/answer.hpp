// answer.hpp: a learner's answer to an exercise, and the exercise's own.
//
// An Answer is a number (0.9544), a vector (written "0.44, 0.65, 0.57",
// "[0.44 0.65 0.57]" or "(0.44; 0.65; 0.57)"), or a token ("ball"). parse_answer()
// promises to accept those spellings and to throw UsageError, saying what it
// expected, for anything else (an empty answer, "abc" where a number is due, a
// non-finite number).
//
// Spellings parse_answer() accepts, by the kind expected:
//   number  0.9544  .5  -1e-3  +2  −0.5 (the Unicode minus)  [0.9544]  2360064  2,360,064
//           Commas are thousands separators here, and only in groups of three
//           ("0,9544" is refused with a hint to write the decimal point as ".").
//   vector  components separated by commas, semicolons, spaces or x / × ("6 × 2"),
//           optionally inside one pair of [ ] or ( ); a lone number is a vector of
//           length 1. One comma, semicolon or x at most between two components.
//   token   any non-empty text; one pair of surrounding quotes ("ball", 'ball',
//           “ball”) is removed, as are spaces around it.
// Numbers and vectors may also be pasted as PyTorch prints them:
//   tensor(0.9544)  tensor([-0.0748,  0.0703], grad_fn=<SelectBackward0>)
//   tensor([[-0.0748, 0.0703]])  (a matrix of one row, over several lines too)
//   torch.Size([6, 4])
// The keyword arguments after the numbers (grad_fn=..., requires_grad=...,
// dtype=..., device=...) are ignored; a matrix of several rows is refused.
//
// closeness() compares at the precision an exercise asks for: "to four
// decimals" accepts each number within half a unit of the fourth decimal, or
// one that rounds to the same four decimals; an answer written with fewer
// decimals than asked is neither right nor wrong when it agrees with the value
// as far as its decimals go.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace attn {

struct Answer {
  enum class Kind { number, vector, token };
  Kind kind = Kind::number;
  double number = 0.0;
  std::vector<double> vector;
  std::string token;
  // Whole numbers (a count, a shape, or numbers written without a point or an
  // exponent): format_answer() prints them without decimals and answer_to_json()
  // as JSON integers. answers_match() ignores it.
  bool whole = false;
  // For an answer parse_answer() read: the decimals written for each number (the
  // digits after the point, less the exponent: "0.44" 2, "1e-3" 3, "2.5e2" 0).
  // Empty for an answer computed, whose numbers have every decimal.
  std::vector<int> decimals;
};

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

// `expected` is the kind of the exercise's answer: the text is read as that kind
// (a lone number may answer a vector of length 1; a token answer is any non-empty text).
// Throws UsageError whose message quotes the answer and says what was expected.
Answer parse_answer(std::string_view text, Answer::Kind expected);

// Whether `given` equals `correct`: numbers and each vector component within
// `tolerance` (absolute, inclusive, with a few units of rounding slack so that
// 0.9549 matches 0.9544 at 5e-4), vectors of the same length, tokens equal as
// text or ignoring ASCII case, a model's token with or without its leading "·". A number and a vector of length 1 compare as
// numbers; non-finite values never match. REQUIRES: tolerance ≥ 0.
bool answers_match(const Answer& given, const Answer& correct, double tolerance);

// For display: numbers at `precision` decimals (whole answers without decimals;
// never "-0.0000"; non-finite as nan / inf / -inf), vectors as [a, b, c], tokens
// quoted ("ball"). parse_answer() reads every result back.
// REQUIRES: 0 ≤ precision ≤ 17.
std::string format_answer(const Answer& answer, int precision);

// As format_answer(), but each number with the decimals the learner wrote, when
// known ("0.44" stays 0.44, "2" stays 2); computed numbers at `precision`.
std::string format_as_given(const Answer& answer, int precision);

// As JSON: a number (an integer when whole), an array of numbers, or a string.
nlohmann::json answer_to_json(const Answer& answer);

// "a number", "a vector" or "a token", for messages.
const char* kind_name(Answer::Kind kind);

}  // namespace attn
