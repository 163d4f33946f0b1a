// Reading a learner's answer: the spellings of answer_read.hpp.
#include "attn/teach/answer_read.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstdint>
#include <cmath>
#include <optional>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

// What a learner types, with the typographic signs a copy from the tables may
// bring: "−" (U+2212) is a minus, "×" (U+00D7) separates a shape's numbers.
std::string plain(std::string_view text) {
  std::string s(trim(text));
  replace_all(s, "\u2212", "-");
  replace_all(s, "\u00d7", " x ");
  return std::string(trim(s));
}

[[noreturn]] void refuse(std::string_view text, const std::string& what, std::string hint = {}) {
  throw UsageError(fmt::format("answer \"{}\": {}", text, what), std::move(hint));
}

const char* example_of(Answer::Kind kind) {
  switch (kind) {
    case Answer::Kind::number: return "a number, such as 0.9544, -1e-3 or 2,360,064";
    case Answer::Kind::vector: return "a vector, such as 0.44, 0.65, 0.57 or [0.44 0.65 0.57]";
    case Answer::Kind::token: return "a token of the sentence, such as ball";
  }
  return "";
}

// A number literal: an optional sign, digits with at most one point (at least
// one digit), an optional exponent. Nothing else: no inf, nan, hex or spaces.
bool is_literal(std::string_view s, bool& whole) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  bool point = false;
  for (; i < s.size(); ++i) {
    if (is_digit(s[i])) {
      ++digits;
    } else if (s[i] == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (digits == 0) return false;
  bool exponent = false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    exponent = true;
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) ++exp_digits;
    if (exp_digits == 0) return false;
  }
  whole = !point && !exponent;
  return i == s.size();
}

// The decimals a literal (is_literal) is written with: the digits after its
// point less its exponent, at least 0 ("0.44" 2, "1e-3" 3, "2.5e2" 0), at most 40.
int decimals_of(std::string_view s) {
  const std::size_t e = std::min(s.find_first_of("eE"), s.size());
  const std::size_t point = s.find('.');
  int fraction = point < e ? static_cast<int>(e - point - 1) : 0;
  long exponent = 0;
  if (e < s.size()) {
    std::size_t i = e + 1;
    const bool negative = i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    for (; i < s.size() && is_digit(s[i]); ++i) exponent = std::min(exponent * 10 + (s[i] - '0'), 100000L);
    if (negative) exponent = -exponent;
  }
  return static_cast<int>(std::clamp(static_cast<long>(fraction) - exponent, 0L, 40L));
}

enum class Read { ok, not_a_number, out_of_range };

// The value of a literal (is_literal), as strtod would read it, whatever the locale.
Read read_literal(std::string_view s, double& value, bool& whole) {
  if (!is_literal(s, whole)) return Read::not_a_number;
  if (s.front() == '+') s.remove_prefix(1);
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec == std::errc::result_out_of_range && end == s.data() + s.size()) {
    // Too large is out of range; too small (1e-400) is 0, as the table loader
    // reads it: one rule for every number attn-explain reads.
    const double nearest = std::strtod(std::string(s).c_str(), nullptr);
    if (!std::isfinite(nearest)) return Read::out_of_range;
    value = nearest;
    return Read::ok;
  }
  if (ec == std::errc::result_out_of_range) return Read::out_of_range;
  if (ec != std::errc() || end != s.data() + s.size()) return Read::not_a_number;
  if (!std::isfinite(value)) return Read::out_of_range;
  return Read::ok;
}

// "2,360,064" (groups of three after the first) → "2360064"; anything else → nullopt.
std::optional<std::string> without_thousands(std::string_view s) {
  std::string sign;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    sign = std::string(1, s.front());
    s.remove_prefix(1);
  }
  const std::size_t end = std::min(s.find_first_of(".eE"), s.size());
  const std::string_view integer = s.substr(0, end), rest = s.substr(end);
  if (rest.find(',') != std::string_view::npos) return std::nullopt;
  std::string digits;
  std::size_t groups = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = integer.find(',', start);
    const std::string_view group = integer.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    const bool ok_size = groups == 0 ? (group.size() >= 1 && group.size() <= 3) : group.size() == 3;
    if (!ok_size) return std::nullopt;
    for (char c : group)
      if (!is_digit(c)) return std::nullopt;
    digits += group;
    ++groups;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (groups < 2) return std::nullopt;
  return sign + digits + std::string(rest);
}

// Removes one pair of enclosing brackets, [ ] or ( ). Refuses unbalanced or
// nested ones: a vector is flat.
std::string_view unbracket(std::string_view s, std::string_view text) {
  if (!s.empty() && (s.front() == '[' || s.front() == '(')) {
    const char close = s.front() == '[' ? ']' : ')';
    if (s.back() != close) refuse(text, fmt::format("a \"{}\" without its \"{}\"", s.front(), close));
    s = trim(s.substr(1, s.size() - 2));
  } else if (!s.empty() && (s.back() == ']' || s.back() == ')')) {
    refuse(text, fmt::format("a \"{}\" without its \"{}\"", s.back(), s.back() == ']' ? '[' : '('));
  }
  if (s.find_first_of("[]()") != std::string_view::npos) {
    refuse(text, "brackets inside brackets: write the components in one list, such as [0.44, 0.65, 0.57]");
  }
  return s;
}

struct Piece {
  bool separator = false;
  std::string text;
};

// The components of a vector, separated by commas, semicolons, whitespace, or
// an x between two numbers ("6 x 2"). nullopt with `error` set when it is not one.
std::optional<std::vector<double>> read_components(std::string_view s, bool& whole, std::vector<int>& decimals,
                                                   std::string& error) {
  auto number_char_before = [&](std::size_t i) {
    while (i > 0 && is_space(s[i - 1])) --i;
    return i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '.');
  };
  auto number_char_after = [&](std::size_t i) {
    ++i;
    while (i < s.size() && is_space(s[i])) ++i;
    return i < s.size() && (is_digit(s[i]) || s[i] == '.' || s[i] == '-' || s[i] == '+');
  };
  std::vector<Piece> pieces;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) pieces.push_back({false, std::move(current)});
    current.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (is_space(c)) {
      flush();
    } else if (c == ',' || c == ';' || ((c == 'x' || c == 'X') && number_char_before(i) && number_char_after(i))) {
      flush();
      pieces.push_back({true, std::string(1, c)});
    } else {
      current += c;
    }
  }
  flush();

  std::vector<double> values;
  whole = true;
  bool expect_number = true;
  for (const Piece& p : pieces) {
    if (p.separator) {
      if (expect_number) {
        error = fmt::format("component {} is missing (a \"{}\" with no number before it)", values.size() + 1, p.text);
        return std::nullopt;
      }
      expect_number = true;
      continue;
    }
    double v = 0.0;
    bool w = false;
    switch (read_literal(p.text, v, w)) {
      case Read::ok: break;
      case Read::not_a_number:
        error = fmt::format("component {}, \"{}\", is not a number", values.size() + 1, p.text);
        return std::nullopt;
      case Read::out_of_range:
        error = fmt::format("component {}, {}, is out of range", values.size() + 1, p.text);
        return std::nullopt;
    }
    whole = whole && w;
    values.push_back(v);
    decimals.push_back(decimals_of(p.text));
    expect_number = false;
  }
  if (values.empty()) {
    error = "no numbers";
    return std::nullopt;
  }
  if (expect_number) {
    error = fmt::format("component {} is missing (the answer ends with a separator)", values.size() + 1);
    return std::nullopt;
  }
  return values;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// "name=..." with a Python identifier for a name: a keyword argument of tensor(...).
bool is_keyword_argument(std::string_view s) {
  const std::size_t eq = s.find('=');
  if (eq == 0 || eq == std::string_view::npos || is_digit(s[0])) return false;
  return std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(eq),
                     [](char c) { return is_digit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

// The numbers of what PyTorch prints: "tensor(DATA, grad_fn=<...>, ...)" and
// "torch.Size(DATA)" give DATA; anything else is returned as it is.
std::string_view unwrap_torch(std::string_view s, std::string_view text) {
  for (const std::string_view call : {std::string_view("tensor("), std::string_view("torch.Size(")}) {
    if (!starts_with(s, call)) continue;
    if (s.back() != ')') refuse(text, fmt::format("a \"{}\" without its \")\"", call));
    const std::string_view inner = s.substr(call.size(), s.size() - call.size() - 1);
    // The data, then keyword arguments after commas outside any brackets.
    std::vector<std::string_view> pieces;
    int depth = 0;
    std::size_t from = 0;
    for (std::size_t i = 0; i <= inner.size(); ++i) {
      const char c = i < inner.size() ? inner[i] : ',';
      if (c == '[' || c == '(' || c == '<' || c == '{') ++depth;
      if (c == ']' || c == ')' || c == '>' || c == '}') --depth;
      if (c == ',' && depth <= 0) {
        pieces.push_back(trim(inner.substr(from, i - from)));
        from = i + 1;
      }
    }
    for (std::size_t k = 1; k < pieces.size(); ++k) {
      if (!is_keyword_argument(pieces[k])) {
        refuse(text, fmt::format("\"{}\" after the numbers of {}...): expected only keyword arguments there, such as "
                                 "grad_fn=<...>",
                                 pieces[k], call));
      }
    }
    return pieces.front();
  }
  return s;
}

// A matrix written as rows in brackets, "[[a, b], [c, d]]": its one row "[a, b]",
// or refused when it has several. Anything else is returned as it is.
std::string_view one_row(std::string_view s, std::string_view text, Answer::Kind kind) {
  if (s.size() < 2 || s.front() != '[' || s.back() != ']' || trim(s.substr(1)).substr(0, 1) != "[") return s;
  const std::string_view inner = trim(s.substr(1, s.size() - 2));
  std::vector<std::string_view> rows;
  std::size_t i = 0;
  while (i < inner.size()) {
    if (inner[i] != '[') return s;  // not rows only: unbracket() says what is wrong
    const std::size_t close = inner.find(']', i);
    if (close == std::string_view::npos || inner.substr(i + 1, close - i - 1).find('[') != std::string_view::npos) return s;
    rows.push_back(inner.substr(i, close - i + 1));
    i = close + 1;
    while (i < inner.size() && (is_space(inner[i]) || inner[i] == ',')) ++i;
  }
  if (rows.size() == 1) return rows.front();
  refuse(text, fmt::format("a matrix of {} rows; expected one row, {}", rows.size(), example_of(kind)));
}

// What is left of a learner's number or vector once typographic signs and a
// pasted tensor's wrapping are gone, and a one-row matrix is its row.
std::string numbers_of(std::string_view text, Answer::Kind kind) {
  const std::string normal = plain(text);
  return std::string(one_row(trim(unwrap_torch(normal, text)), text, kind));
}

Answer parse_number(std::string_view text) {
  const std::string normal = numbers_of(text, Answer::Kind::number);
  const std::string_view s = unbracket(normal, text);
  if (s.empty()) refuse(text, fmt::format("empty; expected {}", example_of(Answer::Kind::number)));
  Answer a;
  a.kind = Answer::Kind::number;
  std::string literal(s);
  if (s.find(',') != std::string_view::npos) {
    if (auto grouped = without_thousands(s)) literal = *grouped;
  }
  switch (read_literal(literal, a.number, a.whole)) {
    case Read::ok: a.decimals = {decimals_of(literal)}; return a;
    case Read::out_of_range: refuse(text, "the number is out of range");
    case Read::not_a_number: break;
  }
  // Not one number: say what it looks like.
  const std::size_t comma = s.find(',');
  if (comma != std::string_view::npos && comma > 0 && s.find(',', comma + 1) == std::string_view::npos) {
    bool w = false;
    std::string dotted(s);
    dotted[comma] = '.';
    double v = 0.0;
    if (read_literal(dotted, v, w) == Read::ok && s.find_first_of(" \t") == std::string_view::npos) {
      refuse(text, fmt::format("expected {}", example_of(Answer::Kind::number)),
             fmt::format("write the decimal point as \".\": {}", dotted));
    }
  }
  bool whole = false;
  std::vector<int> decimals;
  std::string error;
  if (const auto values = read_components(s, whole, decimals, error); values && values->size() > 1) {
    refuse(text, fmt::format("expected one number, not a list of {}", values->size()));
  }
  refuse(text, fmt::format("expected {}", example_of(Answer::Kind::number)));
}

Answer parse_vector(std::string_view text) {
  const std::string normal = numbers_of(text, Answer::Kind::vector);
  const std::string_view s = unbracket(normal, text);
  if (s.empty()) refuse(text, fmt::format("empty; expected {}", example_of(Answer::Kind::vector)));
  Answer a;
  a.kind = Answer::Kind::vector;
  std::string error;
  const auto values = read_components(s, a.whole, a.decimals, error);
  if (!values) refuse(text, fmt::format("{}; expected {}", error, example_of(Answer::Kind::vector)));
  a.vector = *values;
  return a;
}

// Strips one pair of matching quotes, ASCII or typographic.
std::string_view unquote(std::string_view s) {
  static constexpr std::pair<std::string_view, std::string_view> kQuotes[] = {
      {"\"", "\""}, {"'", "'"}, {"\u201c", "\u201d"}, {"\u2018", "\u2019"}, {"\u00ab", "\u00bb"}};
  for (const auto& [open, close] : kQuotes) {
    if (s.size() >= open.size() + close.size() && s.substr(0, open.size()) == open &&
        s.substr(s.size() - close.size()) == close) {
      return trim(s.substr(open.size(), s.size() - open.size() - close.size()));
    }
  }
  return s;
}

Answer parse_token(std::string_view text) {
  const std::string_view s = unquote(trim(text));
  if (s.empty()) refuse(text, fmt::format("empty; expected {}", example_of(Answer::Kind::token)));
  Answer a;
  a.kind = Answer::Kind::token;
  a.token = std::string(s);
  return a;
}

}  // namespace

Answer parse_answer(std::string_view text, Answer::Kind expected) {
  // The answer is echoed in messages and in --json verdicts: bytes that are not
  // UTF-8 are refused here, before any of it is shown.
  if (const std::optional<std::size_t> at = first_invalid_utf8(text)) {
    throw UsageError(fmt::format("answer: invalid UTF-8 at byte {}", *at), "type the answer as plain text");
  }
  switch (expected) {
    case Answer::Kind::number: return parse_number(text);
    case Answer::Kind::vector: return parse_vector(text);
    case Answer::Kind::token: return parse_token(text);
  }
  refuse(text, "unknown kind of answer");
}

}  // namespace attn
