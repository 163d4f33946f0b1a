// Numbers and layout of the JSON text attn-explain writes. See json_text.hpp.
#include "attn/json_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <iterator>
#include <string_view>

#include <fmt/format.h>

namespace attn {

using nlohmann::ordered_json;

namespace {

// The float's shortest float32 round-trip digits (fmt prints them), read as a
// double: printed back as a double, those digits come out unchanged, so the JSON
// holds exactly what float32 had. REQUIRES: value is finite.
double shortest_as_double(float value) {
  std::array<char, 32> digits{};
  const auto printed = fmt::format_to_n(digits.data(), digits.size(), "{}", value);
  double d = 0.0;
  std::from_chars(digits.data(), printed.out, d);
  return d;
}

// `value` as the shortest decimal that reads back to the same value of its type
// (std::to_chars: a float's digits for a float), laid out as nlohmann writes a
// double: 0.5, 1.0, 120.0, 0.0001, 1e-05, 1e+16, -0.0. REQUIRES: value is finite.
template <class Real>
void append_shortest_real(Real value, std::string& out) {
  if (std::signbit(value)) out += '-';
  if (value == 0) {
    out += "0.0";
    return;
  }
  std::array<char, 64> text{};
  const auto printed = std::to_chars(text.data(), text.data() + text.size(), std::fabs(value), std::chars_format::scientific);
  const std::string_view scientific(text.data(), static_cast<std::size_t>(printed.ptr - text.data()));  // d.ddde±XX
  const std::size_t e = scientific.find('e');
  std::string digits(scientific.substr(0, e));
  if (digits.size() > 1) digits.erase(1, 1);  // the point
  int exponent = 0;
  const std::string_view power = scientific.substr(e + (scientific[e + 1] == '+' ? 2 : 1));
  std::from_chars(power.data(), power.data() + power.size(), exponent);
  // value = 0.digits × 10^point
  const int k = static_cast<int>(digits.size()), point = exponent + 1;
  constexpr int kLowest = -4, kHighest = 15;  // nlohmann's bounds of plain notation for a double
  if (k <= point && point <= kHighest) {
    out += digits + std::string(static_cast<std::size_t>(point - k), '0') + ".0";
  } else if (0 < point && point <= kHighest) {
    out += digits.substr(0, static_cast<std::size_t>(point)) + "." + digits.substr(static_cast<std::size_t>(point));
  } else if (kLowest < point && point <= 0) {
    out += "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
  } else {
    out += digits.substr(0, 1) + (k > 1 ? "." + digits.substr(1) : "");
    fmt::format_to(std::back_inserter(out), "e{}{:02}", exponent < 0 ? '-' : '+', std::abs(exponent));
  }
}

}  // namespace

void append_shortest(float value, std::string& out) { append_shortest_real(value, out); }
void append_shortest(double value, std::string& out) { append_shortest_real(value, out); }

std::string shortest_decimal(float value) {
  if (!std::isfinite(value)) return "null";
  std::string out;
  append_shortest(value, out);
  return out;
}

ordered_json float_to_json(float value) {
  if (!std::isfinite(value)) return nullptr;
  return shortest_as_double(value);
}

namespace {

bool is_flat_array(const ordered_json& j) {
  if (!j.is_array()) return false;
  for (const ordered_json& e : j)
    if (e.is_structured()) return false;
  return true;
}

// A value that is not an array or object; a double as its shortest decimal (a
// float's, from float_to_json(), reads back to that float's digits: nlohmann's
// own dump() may write 0.7088005000000001 for 0.7088005).
std::string scalar(const ordered_json& j) {
  if (!j.is_number_float() || !std::isfinite(j.get<double>())) return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  std::string out;
  append_shortest(j.get<double>(), out);
  return out;
}

}  // namespace

void append_json(const ordered_json& j, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  const std::string inner(static_cast<std::size_t>(indent + 1) * 2, ' ');
  if (j.is_object() && !j.empty()) {
    out += "{\n";
    std::size_t i = 0;
    for (const auto& [key, value] : j.items()) {
      out += inner + ordered_json(key).dump() + ": ";
      append_json(value, indent + 1, out);
      out += ++i < j.size() ? ",\n" : "\n";
    }
    out += pad + "}";
  } else if (j.is_array() && !j.empty() && !is_flat_array(j)) {
    out += "[\n";
    for (std::size_t i = 0; i < j.size(); ++i) {
      out += inner;
      append_json(j[i], indent + 1, out);
      out += i + 1 < j.size() ? ",\n" : "\n";
    }
    out += pad + "]";
  } else if (is_flat_array(j)) {
    out += "[";
    for (std::size_t i = 0; i < j.size(); ++i) out += (i ? ", " : "") + scalar(j[i]);
    out += "]";
  } else {
    out += scalar(j);
  }
}

std::string format_json(const ordered_json& value) {
  std::string out;
  append_json(value, 0, out);
  out += "\n";
  return out;
}

}  // namespace attn
