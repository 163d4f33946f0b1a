// answer.hpp: a learner's answer to an exercise, and the exercise's own: the
// value, and the value as text and JSON.
//
// Reading a learner's text into an Answer is answer_read.hpp; comparing an
// Answer with the exercise's value is answer_compare.hpp.
#pragma once

#include <string>
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

// x as format_answer() writes one number: at `precision` decimals, a whole
// number without decimals when `whole`, never "-0.0000", nan / inf / -inf.
std::string format_answer_number(double x, bool whole, int precision);

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
