// Comparing an answer with the exercise's value. See answer_compare.hpp.
#include "attn/teach/answer_compare.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "attn/token_lookup.hpp"  // after_space

namespace attn {

namespace {

bool close_enough(double given, double correct, double tolerance) {
  if (!std::isfinite(given) || !std::isfinite(correct)) return false;
  // The slack absorbs the binary rounding of decimals: |0.9549 - 0.9544| is
  // 0.00050000000000005 in doubles, which a tolerance of 5e-4 should accept.
  const double slack = 1e-9 * std::max({1.0, std::fabs(given), std::fabs(correct)});
  return std::fabs(given - correct) <= tolerance + slack;
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool ascii_iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

}  // namespace

bool answers_match(const Answer& given, const Answer& correct, double tolerance) {
  using Kind = Answer::Kind;
  auto as_numbers = [](const Answer& a) -> std::optional<std::vector<double>> {
    if (a.kind == Kind::number) return std::vector<double>{a.number};
    if (a.kind == Kind::vector) return a.vector;
    return std::nullopt;
  };
  if (given.kind == Kind::token || correct.kind == Kind::token) {
    if (given.kind != correct.kind) return false;
    // A model's token shows its leading space ("·stone"): "stone" names it too.
    return given.token == correct.token || ascii_iequal(given.token, correct.token) ||
           ascii_iequal(after_space(given.token), correct.token) || ascii_iequal(given.token, after_space(correct.token));
  }
  const auto g = as_numbers(given), c = as_numbers(correct);
  if (g->size() != c->size() || g->empty()) return false;
  for (std::size_t i = 0; i < g->size(); ++i)
    if (!close_enough((*g)[i], (*c)[i], tolerance)) return false;
  return true;
}

namespace {

// One number of an answer against one of the value; `written` is the decimals
// the learner wrote it with, -1 when computed.
Closeness number_closeness(double given, int written, double value, const Precision& p) {
  if (!std::isfinite(given) || !std::isfinite(value)) return Closeness::different;
  const double half = 0.5 * std::pow(10.0, -p.decimals);
  if (close_enough(given, value, half) ||
      format_answer_number(given, false, p.decimals) == format_answer_number(value, false, p.decimals)) {
    return Closeness::printed;
  }
  if (close_enough(given, value, p.tolerance)) return Closeness::within_tolerance;
  if (written >= 0 && written < p.decimals &&
      (close_enough(given, value, 0.5 * std::pow(10.0, -written)) ||
       format_answer_number(given, false, written) == format_answer_number(value, false, written))) {
    return Closeness::too_few_decimals;
  }
  return Closeness::different;
}

}  // namespace

Closeness closeness(const Answer& given, const Answer& value, const Precision& precision) {
  using Kind = Answer::Kind;
  if (given.kind == Kind::token || value.kind == Kind::token) {
    return answers_match(given, value, 0.0) ? Closeness::printed : Closeness::different;
  }
  const std::vector<double> g = given.kind == Kind::number ? std::vector<double>{given.number} : given.vector;
  const std::vector<double> v = value.kind == Kind::number ? std::vector<double>{value.number} : value.vector;
  if (g.size() != v.size() || g.empty()) return Closeness::different;
  Closeness worst = Closeness::printed;  // the enum is ordered from the closest
  for (std::size_t i = 0; i < g.size(); ++i) {
    const int written = i < given.decimals.size() ? given.decimals[i] : -1;
    worst = std::max(worst, number_closeness(g[i], written, v[i], precision));
  }
  return worst;
}

std::string decimals_words(int decimals) {
  static constexpr const char* kWords[] = {"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
  const std::string count = decimals < 10 ? kWords[decimals] : std::to_string(decimals);
  return count + (decimals == 1 ? " decimal" : " decimals");
}

bool widened(const Precision& p) { return p.tolerance > 0.5 * std::pow(10.0, -p.decimals) * (1.0 + 1e-9); }

}  // namespace attn
