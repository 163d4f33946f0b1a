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
};

// `expected` is the kind of the exercise's answer: the text is read as that kind
// (a lone number may answer a vector of length 1; a token answer is any non-empty text).
// Throws UsageError whose message quotes the answer and says what was expected.
Answer parse_answer(std::string_view text, Answer::Kind expected);

// Whether `given` equals `correct`: numbers and each vector component within
// `tolerance` (absolute, inclusive, with a few units of rounding slack so that
// 0.9549 matches 0.9544 at 5e-4), vectors of the same length, tokens equal as
// text or ignoring ASCII case. A number and a vector of length 1 compare as
// numbers; non-finite values never match. REQUIRES: tolerance ≥ 0.
bool answers_match(const Answer& given, const Answer& correct, double tolerance);

// For display: numbers at `precision` decimals (whole answers without decimals;
// never "-0.0000"; non-finite as nan / inf / -inf), vectors as [a, b, c], tokens
// quoted ("ball"). parse_answer() reads every result back.
// REQUIRES: 0 ≤ precision ≤ 17.
std::string format_answer(const Answer& answer, int precision);

// As JSON: a number (an integer when whole), an array of numbers, or a string.
nlohmann::json answer_to_json(const Answer& answer);

// "a number", "a vector" or "a token", for messages.
const char* kind_name(Answer::Kind kind);

}  // namespace attn
