// An answer as text and as JSON. See answer.hpp.
#include "attn/teach/answer.hpp"

#include <cmath>
#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace attn {

namespace {

}  // namespace

std::string format_answer_number(double x, bool whole, int precision) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  const bool integral = whole && std::fabs(x) < 1e18 && x == std::trunc(x);
  std::string s = fmt::format("{:.{}f}", x, integral ? 0 : precision);
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

namespace {

nlohmann::json value_json(double x, bool whole) {
  if (whole && std::isfinite(x) && std::fabs(x) < 9e15 && x == std::trunc(x)) return static_cast<std::int64_t>(x);
  return x;
}

}  // namespace

const char* kind_name(Answer::Kind kind) {
  switch (kind) {
    case Answer::Kind::number: return "a number";
    case Answer::Kind::vector: return "a vector";
    case Answer::Kind::token: return "a token";
  }
  return "";
}

std::string format_as_given(const Answer& answer, int precision) {
  if (answer.kind == Answer::Kind::token || answer.decimals.empty()) return format_answer(answer, precision);
  auto one = [&](double x, std::size_t i) {
    return format_answer_number(x, false, i < answer.decimals.size() ? answer.decimals[i] : precision);
  };
  if (answer.kind == Answer::Kind::number) return one(answer.number, 0);
  std::string out = "[";
  for (std::size_t i = 0; i < answer.vector.size(); ++i) out += (i > 0 ? ", " : "") + one(answer.vector[i], i);
  return out + "]";
}

std::string format_answer(const Answer& answer, int precision) {
  switch (answer.kind) {
    case Answer::Kind::number: return format_answer_number(answer.number, answer.whole, precision);
    case Answer::Kind::vector: {
      std::string out = "[";
      for (std::size_t i = 0; i < answer.vector.size(); ++i) {
        if (i > 0) out += ", ";
        out += format_answer_number(answer.vector[i], answer.whole, precision);
      }
      return out + "]";
    }
    case Answer::Kind::token: return fmt::format("\"{}\"", answer.token);
  }
  return "";
}

nlohmann::json answer_to_json(const Answer& answer) {
  switch (answer.kind) {
    case Answer::Kind::number: return value_json(answer.number, answer.whole);
    case Answer::Kind::vector: {
      nlohmann::json array = nlohmann::json::array();
      for (double x : answer.vector) array.push_back(value_json(x, answer.whole));
      return array;
    }
    case Answer::Kind::token: return answer.token;
  }
  return nullptr;
}

}  // namespace attn
