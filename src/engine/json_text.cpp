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
  std::array<char, 64> text;  // the answer, written here and appended once
  char* w = text.data();
  if (std::signbit(value)) *w++ = '-';
  if (value == 0) {
    out.append(text.data(), static_cast<std::size_t>(w - text.data()));
    out += "0.0";
    return;
  }
  std::array<char, 48> scientific;  // d.ddde±XX
  const char* end = std::to_chars(scientific.data(), scientific.data() + scientific.size(), std::fabs(value),
                                  std::chars_format::scientific)
                        .ptr;
  std::array<char, 40> digits;  // the significant digits without the point
  int k = 0;
  const char* p = scientific.data();
  for (; *p != 'e'; ++p)
    if (*p != '.') digits[static_cast<std::size_t>(k++)] = *p;
  const bool negative_power = p[1] == '-';
  int exponent = 0;
  for (const char* q = p + 2; q < end; ++q) exponent = exponent * 10 + (*q - '0');
  if (negative_power) exponent = -exponent;
  const auto put = [&w](const char* from, int count) {
    for (int i = 0; i < count; ++i) *w++ = from[i];
  };
  // value = 0.digits × 10^point
  const int point = exponent + 1;
  constexpr int kLowest = -4, kHighest = 15;  // nlohmann's bounds of plain notation for a double
  if (k <= point && point <= kHighest) {
    put(digits.data(), k);
    for (int i = k; i < point; ++i) *w++ = '0';
    put(".0", 2);
  } else if (0 < point && point <= kHighest) {
    put(digits.data(), point);
    *w++ = '.';
    put(digits.data() + point, k - point);
  } else if (kLowest < point && point <= 0) {
    put("0.", 2);
    for (int i = point; i < 0; ++i) *w++ = '0';
    put(digits.data(), k);
  } else {
    *w++ = digits[0];
    if (k > 1) {
      *w++ = '.';
      put(digits.data() + 1, k - 1);
    }
    *w++ = 'e';
    *w++ = negative_power ? '-' : '+';
    const int power = std::abs(exponent);
    if (power < 10) *w++ = '0';
    w = std::to_chars(w, text.data() + text.size(), power).ptr;
  }
  out.append(text.data(), static_cast<std::size_t>(w - text.data()));
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
