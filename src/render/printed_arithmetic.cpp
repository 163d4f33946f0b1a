// Exact decimal arithmetic on printed numbers: a value is an integer count of
// units of 10^-scale, held in 128 bits; any overflow answers "cannot tell".
#include "printed_arithmetic.hpp"

#include <cmath>
#include <cstddef>

#include "attn/render/text_layout.hpp"
#include "attn/util/fixed_number.hpp"

namespace attn {

namespace {

using Wide = PrintedUnits;

// units × 10^-scale
struct Decimal {
  Wide units = 0;
  int scale = 0;
};

std::optional<Decimal> decimal_of(const PrintedNumber& n) {
  if (!n.readable) return std::nullopt;
  return Decimal{n.units, n.scale};
}

constexpr int kMaxScale = 30;  // 10^30 < 2^127; beyond this a number has too many digits to check

std::optional<Wide> times_ten_to(Wide v, int power) {
  for (int k = 0; k < power; ++k)
    if (__builtin_mul_overflow(v, Wide{10}, &v)) return std::nullopt;
  return v;
}

// "12", "-0.5406", "(-0.1)"; nothing else.
std::optional<Decimal> parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '(' && text.back() == ')') text = text.substr(1, text.size() - 2);
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  Decimal d;
  bool point = false, digit = false;
  for (char c : text) {
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    digit = true;
    if (__builtin_mul_overflow(d.units, Wide{10}, &d.units) || __builtin_add_overflow(d.units, Wide{c - '0'}, &d.units))
      return std::nullopt;
    if (point && ++d.scale > kMaxScale) return std::nullopt;
  }
  if (!digit) return std::nullopt;
  if (negative) d.units = -d.units;
  return d;
}

// Both at the larger scale.
std::optional<Decimal> aligned(const Decimal& d, int scale) {
  const std::optional<Wide> units = times_ten_to(d.units, scale - d.scale);
  if (!units) return std::nullopt;
  return Decimal{*units, scale};
}

std::optional<Decimal> add(const Decimal& a, const Decimal& b) {
  const int scale = a.scale > b.scale ? a.scale : b.scale;
  const auto x = aligned(a, scale), y = aligned(b, scale);
  Decimal sum{0, scale};
  if (!x || !y || __builtin_add_overflow(x->units, y->units, &sum.units)) return std::nullopt;
  return sum;
}

std::optional<Decimal> multiply(const Decimal& a, const Decimal& b) {
  Decimal product{0, a.scale + b.scale};
  if (product.scale > kMaxScale || __builtin_mul_overflow(a.units, b.units, &product.units)) return std::nullopt;
  return product;
}

Wide magnitude(Wide v) { return v < 0 ? -v : v; }

// Does `exact`, rounded to the decimals of `result`, give `result`?
// |exact − result| ≤ half a unit of result's last decimal.
std::optional<bool> rounds_to(const Decimal& exact, const Decimal& result) {
  const int scale = exact.scale > result.scale ? exact.scale : result.scale;
  const auto x = aligned(exact, scale), r = aligned(result, scale);
  const std::optional<Wide> unit = times_ten_to(1, scale - result.scale);
  Wide gap = 0, twice = 0;
  if (!x || !r || !unit || __builtin_sub_overflow(x->units, r->units, &gap)) return std::nullopt;
  if (__builtin_mul_overflow(magnitude(gap), Wide{2}, &twice)) return std::nullopt;
  return twice <= *unit;
}

// "a" or "a×b".
std::optional<Decimal> term(std::string_view text) {
  const std::string_view times = "×";
  const std::size_t at = text.find(times);
  if (at == std::string_view::npos) return parse(text);
  const auto a = parse(text.substr(0, at)), b = parse(text.substr(at + times.size()));
  if (!a || !b) return std::nullopt;
  return multiply(*a, *b);
}

std::optional<Decimal> exact_sum(const std::vector<std::string>& terms) {
  Decimal total;
  for (const std::string& t : terms) {
    const std::optional<Decimal> value = term(t);
    if (!value) return std::nullopt;
    const std::optional<Decimal> next = add(total, *value);
    if (!next) return std::nullopt;
    total = *next;
  }
  return total;
}

std::string to_text(const Decimal& d) {
  // Digits from the last, the point after `scale` of them, at least one digit before it.
  char buffer[64];
  std::size_t at = sizeof buffer;
  Wide v = magnitude(d.units);
  for (int k = 0; v != 0 || k <= d.scale; ++k) {
    if (k == d.scale && d.scale > 0) buffer[--at] = '.';
    buffer[--at] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  }
  if (d.units < 0) buffer[--at] = '-';
  return std::string(buffer + at, sizeof buffer - at);
}

}  // namespace

std::optional<std::string> printed_sum(const std::vector<std::string>& terms) {
  const std::optional<Decimal> total = exact_sum(terms);
  if (!total) return std::nullopt;
  return to_text(*total);
}

std::optional<bool> sum_holds(const std::vector<std::string>& terms, std::string_view result) {
  const std::optional<Decimal> total = exact_sum(terms);
  const std::optional<Decimal> r = parse(result);
  if (!total || !r) return std::nullopt;
  return rounds_to(*total, *r);
}

std::optional<bool> difference_holds(std::string_view a, std::string_view b, std::string_view result) {
  auto x = parse(a), y = parse(b), r = parse(result);
  if (!x || !y || !r) return std::nullopt;
  y->units = -y->units;
  const std::optional<Decimal> d = add(*x, *y);
  if (!d) return std::nullopt;
  return rounds_to(*d, *r);
}

std::optional<bool> product_holds(std::string_view a, std::string_view b, std::string_view result) {
  const auto x = parse(a), y = parse(b), r = parse(result);
  if (!x || !y || !r) return std::nullopt;
  const std::optional<Decimal> p = multiply(*x, *y);
  if (!p) return std::nullopt;
  return rounds_to(*p, *r);
}

namespace {

// a / b rounds to r  ⇔  |a − r·b| ≤ ½ unit(r) · |b|
std::optional<bool> quotient_rounds(const std::optional<Decimal>& x, const std::optional<Decimal>& y,
                                    const std::optional<Decimal>& r) {
  if (!x || !y || !r) return std::nullopt;
  if (y->units == 0) return false;
  const std::optional<Decimal> rb = multiply(*r, *y);
  if (!rb) return std::nullopt;
  Decimal minus_rb = *rb;
  minus_rb.units = -minus_rb.units;
  const std::optional<Decimal> gap = add(*x, minus_rb);
  if (!gap) return std::nullopt;
  // Compare 2·|gap| with unit(r)·|b| at a common scale: unit(r)·|b| is |b| at scale r.scale + b.scale.
  const Decimal half_span{magnitude(y->units), r->scale + y->scale};
  const int scale = gap->scale > half_span.scale ? gap->scale : half_span.scale;
  const auto g = aligned(*gap, scale), s = aligned(half_span, scale);
  Wide twice = 0;
  if (!g || !s || __builtin_mul_overflow(magnitude(g->units), Wide{2}, &twice)) return std::nullopt;
  return twice <= s->units;
}

}  // namespace

std::optional<bool> quotient_holds(std::string_view a, std::string_view b, std::string_view result) {
  return quotient_rounds(parse(a), parse(b), parse(result));
}

PrintedNumber read_printed(std::string_view text) {
  const std::optional<Decimal> d = parse(text);
  if (!d) return {};
  return PrintedNumber{true, d->units, d->scale};
}

PrintedNumber printed_value(float value, int precision) {
  if (precision >= 0 && precision <= 9) {
    // The digits format_number() writes are this integer's (fixed_number.hpp).
    if (const std::optional<std::int64_t> units = fixed_units(value, precision)) return PrintedNumber{true, *units, precision};
    if (!std::isfinite(value)) return {};
  }
  return read_printed(format_number(value, precision));
}

std::optional<bool> dot_holds(std::span<const PrintedNumber> a, std::span<const PrintedNumber> b,
                              const PrintedNumber& result) {
  const std::optional<Decimal> r = decimal_of(result);
  if (!r) return std::nullopt;
  Decimal total;
  for (std::size_t k = 0; k < a.size() && k < b.size(); ++k) {
    const auto x = decimal_of(a[k]), y = decimal_of(b[k]);
    if (!x || !y) return std::nullopt;
    const std::optional<Decimal> product = multiply(*x, *y);
    const std::optional<Decimal> next = product ? add(total, *product) : std::nullopt;
    if (!next) return std::nullopt;
    total = *next;
  }
  return rounds_to(total, *r);
}

std::optional<bool> sum_holds(std::span<const PrintedNumber> terms, const PrintedNumber& result) {
  const std::optional<Decimal> r = decimal_of(result);
  if (!r) return std::nullopt;
  Decimal total;
  for (const PrintedNumber& t : terms) {
    const std::optional<Decimal> x = decimal_of(t);
    const std::optional<Decimal> next = x ? add(total, *x) : std::nullopt;
    if (!next) return std::nullopt;
    total = *next;
  }
  return rounds_to(total, *r);
}

std::optional<bool> product_holds(const PrintedNumber& a, const PrintedNumber& b, const PrintedNumber& c,
                                  const PrintedNumber& result) {
  const auto x = decimal_of(a), y = decimal_of(b), z = decimal_of(c), r = decimal_of(result);
  if (!x || !y || !z || !r) return std::nullopt;
  const std::optional<Decimal> xy = multiply(*x, *y);
  const std::optional<Decimal> xyz = xy ? multiply(*xy, *z) : std::nullopt;
  if (!xyz) return std::nullopt;
  return rounds_to(*xyz, *r);
}

std::optional<bool> quotient_holds(const PrintedNumber& a, const PrintedNumber& b, const PrintedNumber& result) {
  return quotient_rounds(decimal_of(a), decimal_of(b), decimal_of(result));
}

}  // namespace attn
