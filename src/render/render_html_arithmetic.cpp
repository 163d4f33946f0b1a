// The popups' arithmetic, decided in C++. See render_html_arithmetic.hpp.
#include "render_html_arithmetic.hpp"

#include <string>

#include <fmt/format.h>

#include "focus_page.hpp"
#include "printed_arithmetic.hpp"
#include "render_html_page.hpp"
#include "text_layout.hpp"

namespace attn {

namespace {

// Each number of `m` as printed, read once.
std::vector<PrintedNumber> printed_of(const Matrix& m, int p) {
  std::vector<PrintedNumber> out;
  out.reserve(m.data.size());
  for (float v : m.data) out.push_back(read_printed(format_number(v, p)));
  return out;
}
std::vector<PrintedNumber> printed_of(const std::vector<float>& values, int p) {
  std::vector<PrintedNumber> out;
  for (float v : values) out.push_back(read_printed(format_number(v, p)));
  return out;
}

bool rounded(std::optional<bool> holds) { return holds == false; }

// A cell's flags as one base-32 digit (JavaScript's parseInt(digit, 32)).
constexpr char kFlagDigits[] = "0123456789abcdefghijklmnopqrstuv";

// The factors of the shown components of each row of `m`, "…" where the sum is shortened.
std::vector<std::string> shown_factors(const Matrix& m, int p) {
  std::vector<std::string> cells;
  for (std::size_t r = 0; r < m.rows; ++r) {
    std::vector<std::string> row;
    for (std::size_t c = 0; c < m.cols; ++c) row.push_back(factor_text(m(r, c), p));
    for (std::string& cell : shortened(row)) cells.push_back(std::move(cell));
  }
  return cells;
}

// "Σ exp(s(k) − max) = a + b + … + z = sum  (N terms)" for each row.
std::vector<std::string> sum_lines(const Settings& s, const HeadNormalisation& norm, const std::vector<bool>& row_rounded,
                                   int p) {
  const std::size_t n = norm.numerators.rows;
  const bool leaves_out = s.softmax == Softmax::sum && s.causal && s.causal_method == CausalMethod::inf;
  const char* what = s.softmax == Softmax::sum ? "Σ s(k)" : s.softmax == Softmax::naive ? "Σ exp(s(k))" : "Σ exp(s(k) − max)";
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::string> pieces;
    for (std::size_t key = 0; key < (leaves_out ? i + 1 : n); ++key) pieces.push_back(format_number(norm.numerators(i, key), p));
    const std::string total = format_number(norm.sums[i], p);
    std::string joined;
    for (const std::string& piece : shortened(pieces)) joined += (joined.empty() ? "" : " + ") + piece;
    lines.push_back(fmt::format("{} = {}{}{}{}", what, joined, row_rounded[i] ? " ≈ " : " = ", total,
                                term_count(pieces.size())));
  }
  return lines;
}

}  // namespace

void add_cell_arithmetic(HtmlNumbers& numbers, std::size_t run, const Trace& t, std::size_t head,
                         const HeadNormalisation& norm, int p) {
  const Settings& s = t.settings;
  const HeadTrace& h = t.heads[head];
  const std::size_t n = h.attn_scores.rows, d = h.queries.cols;
  const std::string prefix = fmt::format("h{}.", head);

  const auto q = printed_of(h.queries, p), k = printed_of(h.keys, p), score = printed_of(h.attn_scores, p);
  const auto scaled = printed_of(h.scaled_scores, p), e = printed_of(norm.numerators, p), w = printed_of(h.attn_weights, p);
  const auto z = printed_of(norm.sums, p);
  const PrintedNumber divisor = read_printed(format_number(h.scale_divisor, p));
  const bool renorm = h.masked_weights.has_value();
  const auto before = renorm ? printed_of(*h.masked_weights, p) : std::vector<PrintedNumber>{};
  const auto kept = norm.kept ? printed_of(*norm.kept, p) : std::vector<PrintedNumber>{};
  const bool dropout = h.dropped_weights.has_value();
  const auto mask = dropout ? printed_of(*h.dropout_mask, p) : std::vector<PrintedNumber>{};
  const auto dropped = dropout ? printed_of(*h.dropped_weights, p) : std::vector<PrintedNumber>{};
  const float keep_scale = 1.0f / static_cast<float>(1.0 - s.dropout);
  const PrintedNumber keep = read_printed(format_number(keep_scale, p));
  const bool leaves_out = s.softmax == Softmax::sum && s.causal && s.causal_method == CausalMethod::inf;

  std::vector<bool> row_rounded;
  for (std::size_t i = 0; i < n; ++i)
    row_rounded.push_back(rounded(sum_holds(std::span(e).subspan(i * n, leaves_out ? i + 1 : n), z[i])));

  const std::vector<std::string> qf = shown_factors(h.queries, p), kf = shown_factors(h.keys, p);
  numbers.add_text(run, prefix + "qf", n, qf.size() / n, qf);
  numbers.add_text(run, prefix + "kf", n, kf.size() / n, kf);
  numbers.add_json(run, prefix + "tn", json_string(term_count(d)));
  std::string sums = "[";
  for (const std::string& line : sum_lines(s, norm, row_rounded, p)) {
    if (sums.size() > 1) sums += ',';
    sums += json_string(line);
  }
  numbers.add_json(run, prefix + "sum", sums + "]");

  std::string flags, row_flags;
  std::vector<std::string> products;
  flags.reserve(n * n);
  for (std::size_t i = 0; i < n; ++i) row_flags += row_rounded[i] ? '1' : '0';
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t at = i * n + j;
      unsigned f = 0;
      if (rounded(dot_holds(std::span(q).subspan(i * d, d), std::span(k).subspan(j * d, d), score[at]))) f |= kScoreRounded;
      if (s.scale && rounded(quotient_holds(score[at], divisor, scaled[at]))) f |= kScaledRounded;
      if (renorm) {
        if (rounded(quotient_holds(e[at], z[i], before[at]))) f |= kDivisionRounded;
        if (j <= i && rounded(quotient_holds(before[at], kept[i], w[at]))) f |= kRenormRounded;
      } else if (!(leaves_out && j > i) && rounded(quotient_holds(e[at], z[i], w[at]))) {
        f |= kDivisionRounded;
      }
      if (dropout) {
        if (rounded(product_holds(w[at], mask[at], keep, dropped[at]))) f |= kDropoutRounded;
        products.push_back(factor_text(h.attn_weights.data[at], p) + "×" + factor_text(h.dropout_mask->data[at], p) + "×" +
                           factor_text(keep_scale, p));
      }
      flags += kFlagDigits[f];
    }
  }
  numbers.add_json(run, prefix + "f", json_string(flags));
  numbers.add_json(run, prefix + "sr", json_string(row_flags));
  if (dropout) numbers.add_text(run, prefix + "dp", n, n, products);
}

}  // namespace attn
