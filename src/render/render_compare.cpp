// --compare scale|softmax as text. Reads the traces, and takes the numbers it
// quotes about them (entropy, largest weight, sums, spread, overflow) from the
// engine's trace_stats.hpp; this file only words and lays them out. Its longer
// teaching paragraphs are data: "paragraphs" in data/explain.json.
#include "attn/render/render_compare.hpp"

#include <limits>
#include <optional>

#include <fmt/format.h>

#include "attn/util/data_dir.hpp"
#include "attn/util/echo.hpp"
#include "attn/render/render_table.hpp"
#include "attn/render/style.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/trace_stats.hpp"

namespace attn {

namespace {

std::vector<std::string> blank_labels(std::size_t n) { return std::vector<std::string>(n, ""); }

std::string title(int number, const std::string& text, bool color) {
  return fmt::format("\n{}. {}\n", number, bold(text, color));
}

std::string num(double v, int p) { return format_number(static_cast<float>(v), p); }
std::string num(const std::optional<double>& v, int p) { return v ? num(*v, p) : "n/a"; }

// The teaching paragraphs: the options', else explain.json's, read into `loaded`.
const Explanations& prose_of(const CompareOptions& o, std::optional<Explanations>& loaded) {
  if (o.prose) return *o.prose;
  return loaded.emplace(load_explanations(find_data_file(kExplanationsFile)));
}

// `text` with each {name} mark replaced by its value.
std::string filled(std::string text, const std::vector<std::pair<std::string, std::string>>& marks) {
  for (const auto& [name, value] : marks) {
    const std::string mark = "{" + name + "}";
    for (std::size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + value.size()))
      text.replace(at, mark.size(), value);
  }
  return text;
}

// ------------------------------------------------------------- shared pieces

std::string softmax_input_name(const Settings& s) { return s.scale ? "ω / √d_k" : "ω"; }

std::string head_banner(const Trace& t, std::size_t h) {
  return t.heads.size() > 1 ? fmt::format("\n  ── head {} of {} ──\n", h + 1, t.heads.size()) : "";
}

std::string run_line(const Settings& s) {
  std::string line = fmt::format("projection {}", to_string(s.projection));
  if (s.projection == Projection::rand || s.projection == Projection::linear) line += fmt::format(" (seed {})", s.seed);
  line += fmt::format(", d_k = {}", s.head_dim);
  if (s.heads > 1) line += fmt::format(", {} heads ({})", s.heads, to_string(s.multihead));
  if (s.causal) line += fmt::format(", causal ({})", to_string(s.causal_method));
  return line;
}

std::string header(const std::string& heading, const Trace& t, bool color) {
  std::string out = bold(heading, color) + "\n\n";
  out += fmt::format("  sentence    {}\n", display_escape(t.sentence));
  out += fmt::format("  tokens      {}   (n = {})\n", display_escape(join(t.tokens, " | ")), t.tokens.size());
  out += fmt::format("  table       {} ({}), d_in = {}\n", printable(t.settings.table_name),
                     printable(t.settings.table_path, kMessageLineBytes), t.settings.d_in);
  return out;
}

// A weight matrix with its caption, optionally followed by a column of row sums.
Block weights_block(const std::string& caption, const Matrix& w, const std::vector<std::string>& tokens,
                    bool labelled, bool with_sums, const CompareOptions& o) {
  Block b;
  b.lines.push_back("  " + caption);
  const std::vector<std::string> rows = labelled ? tokens : blank_labels(tokens.size());
  const auto table = lines_of(render_matrix(w, rows, tokens, o.precision, {o.color, Shade::sequential, true}));
  if (!with_sums) {
    b.lines.insert(b.lines.end(), table.begin(), table.end());
    return b;
  }
  Matrix sums(w.rows, 1);
  sums.data = row_sums(w);
  const auto sum_column = lines_of(render_matrix(sums, blank_labels(w.rows), {"Σ"}, o.precision));
  const std::size_t width = table.empty() ? 0 : visible_width(table.front());
  for (std::size_t i = 0; i < table.size(); ++i) {
    b.lines.push_back(pad_visible(table[i], width) + " " + (i < sum_column.size() ? sum_column[i] : ""));
  }
  return b;
}

// ------------------------------------------------------------------ scale

// Each row's entropy and largest weight, scaled next to unscaled.
std::string scale_row_table(const Trace& scaled, const Trace& unscaled, std::size_t head, int p) {
  const HeadTrace& hs = scaled.heads[head];
  const HeadTrace& hu = unscaled.heads[head];
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"", "H scaled", "H unscaled", "max α scaled", "max α unscaled"});
  const std::size_t n = hs.attn_weights.rows;
  for (std::size_t i = 0; i < n; ++i) {
    const RowStats s = row_stats(scaled.settings, hs, i);
    const RowStats u = row_stats(unscaled.settings, hu, i);
    rows.push_back({fit_label(scaled.tokens[i]), num(s.entropy, p), num(u.entropy, p), num(s.largest, p),
                    num(u.largest, p)});
  }
  // The means of this head alone.
  const RunStats ms = run_stats(scaled.settings, {&hs}), mu = run_stats(unscaled.settings, {&hu});
  rows.push_back({"mean", num(ms.entropy, p), num(mu.entropy, p), num(ms.largest, p), num(mu.largest, p)});
  return grid(rows);
}

std::string entropy_legend(const Trace& t, int p) {
  const std::size_t n = t.tokens.size();
  const UniformRow uniform = uniform_row(n);
  std::string text = fmt::format(
      "H = −Σ α ln α is the entropy of a row of weights, in nats (natural log; bits = nats / ln 2): 0 when "
      "all the weight is on one token, {} when every token gets {}. {} is the row's largest weight.",
      glue(fmt::format("ln n = ln {} = {}", n, num(uniform.entropy, p))),
      glue(fmt::format("1/n = {}", num(uniform.weight, p))), glue("max α"));
  if (t.settings.causal) text += " With the causal mask row i sees only i tokens, so its H is at most ln i.";
  return paragraph(text, 2, 2);
}

// Part 1: the learner's d_k, each head's weights scaled and unscaled.
std::string scale_your_run(const ScaleComparison& c, const CompareOptions& o) {
  const int p = o.precision;
  const Settings& s = c.scaled.settings;
  const std::vector<std::string>& tokens = c.scaled.tokens;
  std::string out;
  out += title(1, fmt::format("Your run, d_k = {}: the weights with and without dividing the scores by √{} = {}",
                              s.head_dim, s.head_dim, format_number(c.scaled.heads.front().scale_divisor, p)),
               o.color);
  if (s.dropout > 0.0) out += "  (the weights before dropout)\n";
  for (std::size_t h = 0; h < c.scaled.heads.size(); ++h) {
    out += head_banner(c.scaled, h);
    const Matrix& ws = c.scaled.heads[h].attn_weights;
    const Matrix& wu = c.unscaled.heads[h].attn_weights;
    out += arrange([&](auto labelled) {
      return std::vector<Block>{
          weights_block(fmt::format("scaled: α from ω / √{}", s.head_dim), ws, tokens, labelled(0), false, o),
          weights_block("unscaled: α from ω", wu, tokens, labelled(1), false, o)};
    });
    out += "\n";
    out += scale_row_table(c.scaled, c.unscaled, h, p);
  }
  if (s.softmax == Softmax::sum) {
    out += "\n  With --softmax sum the weights are x / Σx: dividing every score by √d_k cancels out, so both\n"
           "  matrices are the same. Scaling matters to a softmax, which exponentiates the scores.\n";
  }

  return out;
}

// Part 2: the same sentence at d_k = kLargeDk.
std::string scale_large(const ScaleComparison& c, const CompareOptions& o) {
  const int p = o.precision;
  const Settings& large = c.scaled_large.settings;
  std::string out;
  out += title(2, fmt::format("The same sentence at d_k = {}: projection rand, torch.manual_seed({}), d_out = {}, one head",
                              large.head_dim, large.seed, large.d_out),
               o.color);
  out += fmt::format("  Scaling divides by √{} = {}; softmax {}.\n\n", large.head_dim,
                     format_number(c.scaled_large.heads.front().scale_divisor, p), to_string(large.softmax));
  out += scale_row_table(c.scaled_large, c.unscaled_large, 0, p);

  return out;
}

// Part 3: the four runs in one table, and why scaling matters more as d_k grows.
std::string scale_why(const ScaleComparison& c, const CompareOptions& o) {
  std::optional<Explanations> loaded;
  const int p = o.precision;
  const Settings& s = c.scaled.settings;
  const Settings& large = c.scaled_large.settings;
  std::string out;
  const RunStats rs = run_stats(c.scaled), ru = run_stats(c.unscaled);
  const RunStats ls = run_stats(c.scaled_large), lu = run_stats(c.unscaled_large);
  out += title(3, "Why scaling matters more as d_k grows", o.color);
  out += "  spread: the standard deviation of a row's softmax input, averaged over the rows.\n\n";
  const std::string small_dk = std::to_string(s.head_dim), large_dk = std::to_string(large.head_dim);
  out += grid({
      {"run", "softmax input", "spread", "mean H", "mean max α"},
      {fmt::format("d_k = {}, scaled", small_dk), fmt::format("ω / √{}", small_dk), num(rs.spread, p), num(rs.entropy, p),
       num(rs.largest, p)},
      {fmt::format("d_k = {}, unscaled", small_dk), "ω", num(ru.spread, p), num(ru.entropy, p), num(ru.largest, p)},
      {fmt::format("d_k = {}, scaled", large_dk), fmt::format("ω / √{}", large_dk), num(ls.spread, p),
       num(ls.entropy, p), num(ls.largest, p)},
      {fmt::format("d_k = {}, unscaled", large_dk), "ω", num(lu.spread, p), num(lu.entropy, p), num(lu.largest, p)},
      {"equal weights", "", "", num(rs.uniform_entropy, p), num(rs.uniform_largest, p)},
  });
  out += "\n";
  const Explanations& prose = prose_of(o, loaded);
  out += paragraph(filled(prose.paragraph("compare_scale_why"),
                          {{"dot", glue("q · k = q₁k₁ + q₂k₂ + …")},
                           {"small", glue(fmt::format("√{} = {}", small_dk, num(score_std_dev(s.head_dim), 2)))},
                           {"large", glue(fmt::format("√{} = {}", large_dk, num(score_std_dev(large.head_dim), 2)))},
                           {"e3", glue("e³ ≈ 20")}}),
                   2, 2);
  out += paragraph(prose.paragraph("compare_scale_rand"), 2, 2);
  out += "\n";
  out += paragraph(
      fmt::format("In the table above: at d_k = {} leaving out the division widens the spread from {} to {}, "
                  "moves the mean entropy from {} to {} and the mean largest weight from {} to {}; at d_k = {} it "
                  "widens the spread from {} to {}, moves the mean entropy from {} to {} and the mean largest weight "
                  "from {} to {}.",
                  small_dk, num(rs.spread, p), num(ru.spread, p), num(rs.entropy, p), num(ru.entropy, p),
                  num(rs.largest, p), num(ru.largest, p), large_dk, num(ls.spread, p), num(lu.spread, p),
                  num(ls.entropy, p), num(lu.entropy, p), num(ls.largest, p), num(lu.largest, p)),
      2, 2);
  return out;
}

}  // namespace

std::string render_scale_comparison(const ScaleComparison& c, const CompareOptions& o) {
  const Settings& s = c.scaled.settings;
  std::string out = header("Scaling the scores by √d_k: with and without", c.scaled, o.color);
  out += fmt::format("  your run    {}, softmax {}\n", run_line(s), to_string(s.softmax));
  out += "\n";
  out += entropy_legend(c.scaled, o.precision);
  out += scale_your_run(c, o);
  out += scale_large(c, o);
  out += scale_why(c, o);
  return out;
}

namespace {

// ---------------------------------------------------------------- softmax

// "rows Big, numbers" or "every row".
std::string rows_named(const std::vector<std::size_t>& rows, const std::vector<std::string>& tokens) {
  if (rows.size() == tokens.size() && tokens.size() > 1) return "every row";
  std::vector<std::string> names;
  for (std::size_t i : rows) names.push_back(fit_label(tokens[i]));
  return fmt::format("row{} {}", rows.size() == 1 ? "" : "s", join(names, ", "));
}

// What one normalisation's rows show: their sums, weights outside [0, 1], non-finite weights.
std::string check_line(const std::string& name, const HeadTrace& h, const std::vector<std::string>& tokens) {
  const RowChecks checks = check_rows(h.attn_weights);
  const auto& [non_finite, not_one, negative, above_one] = checks;
  std::vector<std::string> parts;
  if (non_finite.empty() && not_one.empty()) parts.push_back("every row sums to 1");
  if (!non_finite.empty()) parts.push_back(fmt::format("nan or inf in {}", rows_named(non_finite, tokens)));
  if (!not_one.empty()) parts.push_back(fmt::format("{} do not sum to 1", rows_named(not_one, tokens)));
  if (negative.empty() && above_one.empty()) {
    parts.push_back(non_finite.empty() ? "every weight in [0, 1]" : "the finite weights in [0, 1]");
  }
  if (!negative.empty()) parts.push_back(fmt::format("negative \"weights\" in {}", rows_named(negative, tokens)));
  if (!above_one.empty()) parts.push_back(fmt::format("\"weights\" above 1 in {}", rows_named(above_one, tokens)));
  if (!negative.empty() || !above_one.empty()) parts.back() += ": not probabilities";
  return paragraph(join(parts, "; "), "  " + pad_right(name, 8), 10);
}

// Where the naive and the stable softmax part ways.
std::string agreement_line(const HeadTrace& naive, const HeadTrace& stable, const std::vector<std::string>& tokens) {
  const auto [broken, largest_gap] = compare_weights(naive.attn_weights, stable.attn_weights);
  const std::string gap = fmt::format("{:.1e}", largest_gap);
  if (broken.empty()) {
    return paragraph(fmt::format("naive = stable in every row, up to float32 rounding (largest difference {}): "
                                 "without overflow they are the same function.",
                                 gap),
                     2, 2);
  }
  if (broken.size() == naive.attn_weights.rows) return paragraph("naive breaks down in every row; stable does not.", 2, 2);
  return paragraph(fmt::format("naive breaks down in {}; elsewhere it equals stable up to float32 rounding "
                               "(largest difference {}).",
                               rows_named(broken, tokens), gap),
                   2, 2);
}

// The engine's warnings for a run, if any.
std::string warnings_block(const Trace& t) {
  std::string out;
  const std::vector<std::string> warnings = t.warnings;
  if (!warnings.empty()) out += fmt::format("  The engine warns ({}):\n", to_string(t.settings.softmax));
  for (const std::string& w : warnings) out += paragraph(w, 4, 6);
  return out;
}

std::string three_ways(const Trace& sum, const Trace& naive, const Trace& stable, std::size_t h,
                       const CompareOptions& o) {
  const std::vector<std::string>& tokens = stable.tokens;
  std::string out = arrange([&](auto labelled) {
    return std::vector<Block>{
        weights_block("sum     α = x / Σ x", sum.heads[h].attn_weights, tokens, labelled(0), true, o),
        weights_block("naive   α = exp(x) / Σ exp(x)", naive.heads[h].attn_weights, tokens, labelled(1), true, o),
        weights_block("stable  α = exp(x − m) / Σ exp(x − m), m = the row's max", stable.heads[h].attn_weights, tokens,
                      labelled(2), true, o)};
  });
  out += "\n";
  out += check_line("sum", sum.heads[h], tokens);
  out += check_line("naive", naive.heads[h], tokens);
  out += check_line("stable", stable.heads[h], tokens);
  out += agreement_line(naive.heads[h], stable.heads[h], tokens);
  return out;
}

// Part 1: the learner's scores, normalised three ways, and what that shows.
std::string softmax_your_run(const SoftmaxComparison& c, const CompareOptions& o) {
  const int p = o.precision;
  const Settings& s = c.stable.settings;
  const std::vector<std::string>& tokens = c.stable.tokens;
  const std::string x = softmax_input_name(s);
  std::string out = title(1, fmt::format("Your run: each row of x = {} normalised three ways", x), o.color);
  for (std::size_t h = 0; h < c.stable.heads.size(); ++h) {
    out += head_banner(c.stable, h);
    const HeadTrace& head = c.stable.heads[h];
    const bool masked = head.masked_scores.has_value();
    out += fmt::format("  x = {}{}\n", x, masked ? ", with -inf above the diagonal (causal mask)" : "");
    out += render_matrix(masked ? *head.masked_scores : head.scaled_scores, tokens, tokens, p,
                         {o.color, Shade::diverging, false});
    if (head.masked_weights) {
      out += paragraph("(causal mask, renorm: each method's weights are then zeroed above the diagonal and each row "
                       "divided by its new sum)",
                       2, 2);
    }
    out += "\n";
    out += three_ways(c.sum, c.naive, c.stable, h, o);
  }
  for (const Trace* t : {&c.sum, &c.naive, &c.stable}) out += warnings_block(*t);
  out += "\n";
  std::optional<Explanations> loaded;
  out += paragraph(prose_of(o, loaded).paragraph("compare_softmax_why"), 2, 2);
  return out;
}

// Where exp overflows in the example, and what the naive softmax makes of it.
std::string overflow_text(const ExpOverflow& overflow, const Matrix& scores, const std::vector<std::string>& tokens,
                          int p) {
  std::string text = fmt::format(
      "float32 holds numbers up to {:.4e}, so exp(x) is inf for every x above {}.",
      std::numeric_limits<float>::max(),
      glue(fmt::format("ln({:.4e}) = {}", std::numeric_limits<float>::max(), format_number(overflow.limit, p))));
  if (overflow.cells.empty()) return text + " No score here is that large.";
  std::vector<std::string> big;
  for (const auto& [i, j] : overflow.cells) {
    big.push_back(glue(fmt::format("{}·{} = {}", fit_label(tokens[i]), fit_label(tokens[j]),
                                   format_number(scores(i, j), p))));
  }
  return text + fmt::format(" Scores above it: {}. In {} the naive softmax's sum {} is inf, so {} is {} where x "
                            "overflowed and {} elsewhere.",
                            join(big, ", "), rows_named(overflow.rows, tokens), glue("Σ exp(x)"),
                            glue("exp(x) / Σ exp(x)"), glue("inf / inf = nan"), glue("finite / inf = 0"));
}

// Why subtracting the row maximum is exact and safe, with the numbers of the
// first row that overflows.
std::string stable_text(const ExpOverflow& overflow, const Matrix& scores, const std::vector<std::string>& tokens,
                        int p) {
  std::string text = fmt::format(
      "The stable softmax subtracts the row's largest score m before exponentiating. Mathematically that changes "
      "nothing: {} since the factor e^−m cancels. Numerically it changes everything: every {}, so every {} and "
      "nothing overflows, and the largest term is {}, so the sum is at least 1 and never 0.",
      glue("exp(x − m) / Σ exp(x − m) = e^−m·exp(x) / (e^−m·Σ exp(x)) = exp(x) / Σ exp(x),"), glue("x − m ≤ 0"),
      glue("exp(x − m) ≤ 1"), glue("exp(0) = 1"));
  if (!overflow.rows.empty()) {
    const std::size_t i = overflow.rows.front();
    const RowRange range = row_range(scores, i);
    text += fmt::format(" In row {}, {}, so the exponents {} lie between {} and 0 instead of between {} and {}.",
                        fit_label(tokens[i]), glue("m = " + format_number(range.max, p)), glue("x − m"),
                        format_number(range.shifted_min, p), format_number(range.min, p),
                        format_number(range.max, p));
  }
  return text + " torch.softmax does this, and so does attn-explain unless you ask for --softmax naive.";
}

// Part 2: the example whose scores overflow the naive softmax.
std::string softmax_overflow(const SoftmaxComparison& c, const CompareOptions& o) {
  const int p = o.precision;
  const Trace& os = c.overflow_stable;
  const std::vector<std::string>& tokens = os.tokens;
  const Matrix& scores = c.overflow_naive.heads.front().attn_scores;
  const TableStyle scores_style{o.color, Shade::diverging, false};
  const ExpOverflow overflow = exp_overflow(scores);
  std::string out = title(2, fmt::format("When the naive softmax overflows: \"{}\"", display_escape(os.sentence)), o.color);
  out += fmt::format("  table {}, Q = K = V = X (projection none), scores not scaled\n\n",
                     printable(os.settings.table_name));
  out += fmt::format("  Embeddings  X  ({} × {})\n", os.inputs.rows, os.inputs.cols);
  out += render_matrix(os.inputs, tokens, dim_labels(os.inputs.cols), p, scores_style);
  out += fmt::format("\n  Scores  x = ω = X · Xᵀ  ({0} × {0})\n", tokens.size());
  out += render_matrix(scores, tokens, tokens, p, scores_style);
  out += "\n";
  out += paragraph(overflow_text(overflow, scores, tokens, p), 2, 2);
  out += "\n";
  out += three_ways(c.overflow_sum, c.overflow_naive, c.overflow_stable, 0, o);
  for (const Trace* t : {&c.overflow_sum, &c.overflow_naive, &c.overflow_stable}) out += warnings_block(*t);
  out += "\n";
  out += paragraph(stable_text(overflow, scores, tokens, p), 2, 2);
  return out;
}

}  // namespace

std::string render_softmax_comparison(const SoftmaxComparison& c, const CompareOptions& o) {
  const Settings& s = c.stable.settings;
  std::string out = header("Three ways to turn scores into weights: sum, naive softmax, stable softmax", c.stable, o.color);
  out += fmt::format("  your run    {}, scores {}\n", run_line(s),
                     s.scale ? fmt::format("divided by √d_k = {}",
                                           format_number(c.stable.heads.front().scale_divisor, o.precision))
                             : std::string("not scaled"));
  out += softmax_your_run(c, o);
  out += softmax_overflow(c, o);
  return out;
}

}  // namespace attn
