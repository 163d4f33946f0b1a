// answer.hpp: a learner's answer to an exercise, and the exercise's own.
//
// An Answer is a number (0.9544), a vector (written "0.44, 0.65, 0.57",
// "[0.44 0.65 0.57]" or "(0.44; 0.65; 0.57)"), or a token ("ball"). parse_answer()
// promises to accept those spellings and to throw UsageError, saying what it
// expected, for anything else (an empty answer, "abc" where a number is due, a
// non-finite number).
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
};

// `expected` is the kind of the exercise's answer: the text is read as that kind
// (a lone number may answer a vector of length 1; a token answer is any non-empty text).
Answer parse_answer(std::string_view text, Answer::Kind expected);

// Whether `given` equals `correct`: numbers and each vector component within
// `tolerance` (absolute), vectors of the same length, tokens equal as text or
// ignoring ASCII case.
bool answers_match(const Answer& given, const Answer& correct, double tolerance);

// For display: numbers at `precision` decimals, vectors as [a, b, c], tokens quoted.
std::string format_answer(const Answer& answer, int precision);

// As JSON: a number, an array of numbers, or a string.
nlohmann::json answer_to_json(const Answer& answer);

}  // namespace attn
