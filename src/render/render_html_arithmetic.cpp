// The popups' arithmetic, decided in C++. See render_html_arithmetic.hpp.
#include "render_html_arithmetic.hpp"

#include <string>

#include <fmt/format.h>

#include "focus_page.hpp"
#include "printed_arithmetic.hpp"
#include "render_html_page.hpp"
#include "attn/render/text_layout.hpp"

namespace attn {

namespace {

// Each number of `m` as printed, read once.
std::vector<PrintedNumber> printed_of(const Matrix& m, int p) {
  std::vector<PrintedNumber> out;
  out.reserve(m.data.size());
  for (float v : m.data) out.push_back(printed_value(v, p));
  return out;
}
std::vector<PrintedNumber> printed_row(const Matrix& m, std::size_t r, int p) {
  std::vector<PrintedNumber> out;
  out.reserve(m.cols);
  for (float v : m.row(r)) out.push_back(printed_value(v, p));
  return out;
}
std::vector<PrintedNumber> printed_of(const std::vector<float>& values, int p) {
  std::vector<PrintedNumber> out;
  for (float v : values) out.push_back(printed_value(v, p));
  return out;
}

bool rounded(std::optional<bool> holds) { return holds == false; }

// A cell's flags as one base-32 digit (JavaScript's parseInt(digit, 32)).
constexpr char kFlagDigits[] = "0123456789abcdefghijklmnopqrstuv";

// The factors of the shown components of each row of `m`, "…" where the sum is
// shortened, joined by spaces.
std::string shown_factors(const Matrix& m, int p) {
  std::string cells;
  for (std::size_t r = 0; r < m.rows; ++r) {
    std::vector<std::string> row;
    for (std::size_t c = 0; c < m.cols; ++c) row.push_back(factor_text(m(r, c), p));
    for (const std::string& cell : shortened(row)) {
      if (!cells.empty()) cells += ' ';
      cells += cell;
    }
  }
  return cells;
}

// "Σ exp(s(k) − max) = a + b + … + z = sum  (N terms)" for row i, whose numerators are `e`.
std::string sum_line(const Settings& s, std::size_t i, const std::vector<float>& e, float sum, bool row_rounded, int p) {
  const bool leaves_out = s.softmax == Softmax::sum && s.causal && s.causal_method == CausalMethod::inf;
  const char* what = s.softmax == Softmax::sum ? "Σ s(k)" : s.softmax == Softmax::naive ? "Σ exp(s(k))" : "Σ exp(s(k) − max)";
  // Only the pieces shortened() keeps are formatted (the first kShownHead and the last of a long row).
  const std::size_t count = leaves_out ? i + 1 : e.size();
  std::vector<std::string> pieces(count);
  for (std::size_t key = 0; key < count; ++key) {
    if (count <= kMaxTerms || key < kShownHead || key + 1 == count) pieces[key] = format_number(e[key], p);
  }
  const std::string total = format_number(sum, p);
  std::string joined;
  for (const std::string& piece : shortened(pieces)) joined += (joined.empty() ? "" : " + ") + piece;
  return fmt::format("{} = {}{}{}{}", what, joined, row_rounded ? " ≈ " : " = ", total, term_count(count));
}

}  // namespace

void add_cell_arithmetic(HtmlNumbers& numbers, std::size_t run, const Trace& t, std::size_t head,
                         const HeadNormalisation& norm, int p) {
  const Settings& s = t.settings;
  const HeadTrace& h = t.heads[head];
  const std::size_t n = h.attn_scores.rows, d = h.queries.cols;
  const std::string prefix = fmt::format("h{}.", head);

  // Read row by row (a head's n × n matrices are never all held as read numbers): the keys once.
  const std::vector<PrintedNumber> k = printed_of(h.keys, p), z = printed_of(norm.sums, p);
  const auto kept = norm.kept ? printed_of(*norm.kept, p) : std::vector<PrintedNumber>{};
  const PrintedNumber divisor = read_printed(format_number(h.scale_divisor, p));
  const bool renorm = h.masked_weights.has_value(), dropout = h.dropped_weights.has_value();
  const float keep_scale = 1.0f / static_cast<float>(1.0 - s.dropout);
  const PrintedNumber keep = read_printed(format_number(keep_scale, p));
  const bool leaves_out = s.softmax == Softmax::sum && s.causal && s.causal_method == CausalMethod::inf;

  const std::size_t shown = shortened(std::vector<std::string>(d)).size();
  numbers.add_text(run, prefix + "qf", n, shown, shown_factors(h.queries, p));
  numbers.add_text(run, prefix + "kf", n, shown, shown_factors(h.keys, p));
  numbers.add_json(run, prefix + "tn", json_string(term_count(d)));
  // Row by row, each row's numerators made once: its sum line, then each cell's flags.
  std::string sums = "[", flags, row_flags, products;
  flags.reserve(n * n);
  const std::vector<PrintedNumber> none;
  for (std::size_t i = 0; i < n; ++i) {
    const RowNormalisation row = norm.row(i);
    const std::vector<float>& numerators = row.numerators;
    const std::vector<PrintedNumber> e = printed_of(numerators, p);
    const bool row_rounded = rounded(sum_holds(std::span(e).first(leaves_out ? i + 1 : n), z[i]));
    row_flags += row_rounded ? '1' : '0';
    if (sums.size() > 1) sums += ',';
    sums += json_string(sum_line(s, i, numerators, norm.sums[i], row_rounded, p));
    const std::vector<PrintedNumber> q = printed_row(h.queries, i, p), score = printed_row(h.attn_scores, i, p),
                                     scaled = printed_row(h.scaled_scores, i, p), w = printed_row(h.attn_weights, i, p);
    // Under renorm: the softmax's weights before the mask (a future key's is not in the trace).
    const auto before = renorm ? printed_of(row.weights, p) : none;
    const auto mask = dropout ? printed_row(*h.dropout_mask, i, p) : none;
    const auto dropped = dropout ? printed_row(*h.dropped_weights, i, p) : none;
    for (std::size_t j = 0; j < n; ++j) {
      unsigned f = 0;
      if (rounded(dot_holds(q, std::span(k).subspan(j * d, d), score[j]))) f |= kScoreRounded;
      if (s.scale && rounded(quotient_holds(score[j], divisor, scaled[j]))) f |= kScaledRounded;
      if (renorm) {
        if (rounded(quotient_holds(e[j], z[i], before[j]))) f |= kDivisionRounded;
        if (j <= i && rounded(quotient_holds(before[j], kept[i], w[j]))) f |= kRenormRounded;
      } else if (!(leaves_out && j > i) && rounded(quotient_holds(e[j], z[i], w[j]))) {
        f |= kDivisionRounded;
      }
      if (dropout) {
        if (rounded(product_holds(w[j], mask[j], keep, dropped[j]))) f |= kDropoutRounded;
        if (!products.empty()) products += ' ';
        products += factor_text(h.attn_weights(i, j), p) + "×" + factor_text((*h.dropout_mask)(i, j), p) + "×" +
                    factor_text(keep_scale, p);
      }
      flags += kFlagDigits[f];
    }
  }
  numbers.add_json(run, prefix + "sum", sums + "]");
  numbers.add_json(run, prefix + "f", json_string(flags));
  numbers.add_json(run, prefix + "sr", json_string(row_flags));
  if (dropout) numbers.add_text(run, prefix + "dp", n, n, products);
}

}  // namespace attn
