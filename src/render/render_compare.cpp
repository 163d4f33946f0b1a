// --compare scale|softmax as text. Reads traces only: the numbers derived here
// are summaries of a trace's rows (entropy, largest weight, sum, spread), never
// attention itself.
#include "render_compare.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "render_table.hpp"
#include "style.hpp"
#include "tokenizer.hpp"

namespace attn {

namespace {

// Wider than this, matrices go one under the other instead of side by side.
constexpr std::size_t kMaxWidth = 100;
// Longer tokens are cut with "…" in the summary tables, as render_matrix does.
constexpr std::size_t kMaxLabelWidth = 14;
// A row "sums to 1" when its float32 sum is this close (n roundings of ~6e-8 each).
constexpr double kSumTolerance = 1e-5;

// ---------------------------------------------------------------- text layout

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Terminal columns of a line that may hold colour escapes (ESC [ ... m take none).
std::size_t visible_width(const std::string& line) {
  std::string plain;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b') {
      while (i < line.size() && line[i] != 'm') ++i;
      continue;
    }
    plain += line[i];
  }
  return display_width(plain);
}

std::string pad_visible(const std::string& line, std::size_t width) {
  const std::size_t w = visible_width(line);
  return w >= width ? line : line + std::string(width - w, ' ');
}

std::string short_label(const std::string& token) { return elide(token, kMaxLabelWidth); }

// A block of lines printed as a unit: a caption, then a table.
struct Block {
  std::vector<std::string> lines;
  std::size_t width() const {
    std::size_t w = 0;
    for (const auto& l : lines) w = std::max(w, visible_width(l));
    return w;
  }
};

// Blocks next to each other, line by line, separated by " │".
std::string side_by_side(const std::vector<Block>& blocks) {
  std::size_t height = 0;
  for (const auto& b : blocks) height = std::max(height, b.lines.size());
  std::string out;
  for (std::size_t i = 0; i < height; ++i) {
    std::string line;
    for (std::size_t k = 0; k < blocks.size(); ++k) {
      const std::string& part = i < blocks[k].lines.size() ? blocks[k].lines[i] : std::string();
      if (k > 0) line += " │";
      line += k + 1 < blocks.size() ? pad_visible(part, blocks[k].width()) : part;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string one_under_the_other(const std::vector<Block>& blocks) {
  std::string out;
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    if (k > 0) out += "\n";
    for (const auto& l : blocks[k].lines) out += l + "\n";
  }
  return out;
}

// `make(labelled)` builds the blocks; labelled(k) says whether block k carries
// the token labels. Side by side only the first does; if that is too wide,
// every block does and they go one under the other.
template <typename Make>
std::string arrange(Make make) {
  const std::vector<Block> beside = make([](std::size_t k) { return k == 0; });
  std::size_t width = 0;
  for (const auto& b : beside) width += b.width() + 2;
  if (width <= kMaxWidth) return side_by_side(beside);
  return one_under_the_other(make([](std::size_t) { return true; }));
}

// A plain table of strings: the first column left-aligned, the others right-aligned.
std::string grid(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], display_width(row[c]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = "  ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += c == 0 ? pad_right(row[c], width[c]) : "  " + pad_left(row[c], width[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// A space that paragraph() never breaks at (it prints as a space): glue(s)
// keeps a short formula such as "exp(x − m)" on one line.
constexpr char kGlue = '\x01';

std::string glue(std::string text) {
  std::replace(text.begin(), text.end(), ' ', kGlue);
  return text;
}

std::string unglue(std::string text) {
  std::replace(text.begin(), text.end(), kGlue, ' ');
  return text;
}

// `text` as lines of at most kMaxWidth columns: the first starts with `lead`,
// the others with `rest` spaces. Words are never split.
std::string paragraph(const std::string& text, const std::string& lead, std::size_t rest) {
  std::string out, line = lead;
  bool empty = true;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    word = unglue(word);
    if (!empty && display_width(line) + 1 + display_width(word) > kMaxWidth) {
      out += line + "\n";
      line.assign(rest, ' ');
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  return out + line + "\n";
}

std::string paragraph(const std::string& text, std::size_t first, std::size_t rest) {
  return paragraph(text, std::string(first, ' '), rest);
}

std::vector<std::string> blank_labels(std::size_t n) { return std::vector<std::string>(n, ""); }

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

std::string title(int number, const std::string& text, bool color) {
  return fmt::format("\n{}. {}\n", number, bold(text, color));
}

// ------------------------------------------------------------- row summaries

// How many keys row i may attend to: all n, or i + 1 under the causal mask.
std::size_t visible(const Settings& s, std::size_t i, std::size_t n) { return s.causal ? i + 1 : n; }

struct RowStats {
  std::optional<double> entropy;  // nats; none when the row is not a distribution (negative or non-finite)
  double largest = 0.0;           // NaN when the row has a NaN
  double spread = 0.0;            // standard deviation of the softmax input over the visible keys
};

RowStats row_stats(const Settings& s, const HeadTrace& h, std::size_t i) {
  const Matrix& w = h.attn_weights;
  const std::size_t n = w.cols;
  RowStats r;
  bool distribution = true;
  double entropy = 0.0, largest = -std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < n; ++j) {
    const double a = w(i, j);
    if (!std::isfinite(a) || a < 0.0) distribution = false;
    if (std::isnan(a)) largest = std::numeric_limits<double>::quiet_NaN();
    else if (!std::isnan(largest)) largest = std::max(largest, a);
    if (a > 0.0 && std::isfinite(a)) entropy -= a * std::log(a);
  }
  if (distribution) r.entropy = entropy;
  r.largest = largest;

  const std::size_t k = visible(s, i, n);
  double mean = 0.0, square = 0.0;
  for (std::size_t j = 0; j < k; ++j) mean += h.scaled_scores(i, j);
  mean /= static_cast<double>(k);
  for (std::size_t j = 0; j < k; ++j) square += (h.scaled_scores(i, j) - mean) * (h.scaled_scores(i, j) - mean);
  r.spread = std::sqrt(square / static_cast<double>(k));
  return r;
}

// Means over every row of the given heads of a run.
struct RunStats {
  std::optional<double> entropy;
  double largest = 0.0, spread = 0.0;
  double uniform_entropy = 0.0, uniform_largest = 0.0;  // what equal weights over the visible keys would give
};

RunStats run_stats(const Settings& s, const std::vector<const HeadTrace*>& heads) {
  RunStats out;
  double entropy = 0.0;
  bool defined = true;
  std::size_t rows = 0;
  for (const HeadTrace* h : heads) {
    const std::size_t n = h->attn_weights.rows;
    for (std::size_t i = 0; i < n; ++i, ++rows) {
      const RowStats r = row_stats(s, *h, i);
      if (r.entropy) entropy += *r.entropy; else defined = false;
      out.largest += r.largest;
      out.spread += r.spread;
      const double k = static_cast<double>(visible(s, i, n));
      out.uniform_entropy += std::log(k);
      out.uniform_largest += 1.0 / k;
    }
  }
  const double count = static_cast<double>(std::max<std::size_t>(rows, 1));
  if (defined) out.entropy = entropy / count;
  out.largest /= count;
  out.spread /= count;
  out.uniform_entropy /= count;
  out.uniform_largest /= count;
  return out;
}

// Every head of a run.
RunStats run_stats(const Trace& t) {
  std::vector<const HeadTrace*> heads;
  for (const HeadTrace& h : t.heads) heads.push_back(&h);
  return run_stats(t.settings, heads);
}

std::string num(double v, int p) { return format_number(static_cast<float>(v), p); }
std::string num(const std::optional<double>& v, int p) { return v ? num(*v, p) : "n/a"; }

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
  out += fmt::format("  sentence    {}\n", t.sentence);
  out += fmt::format("  tokens      {}   (n = {})\n", join(t.tokens, " | "), t.tokens.size());
  out += fmt::format("  table       {} ({}), d_in = {}\n", t.settings.table_name, t.settings.table_path, t.settings.d_in);
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
  for (std::size_t i = 0; i < w.rows; ++i) {
    double s = 0.0;
    for (std::size_t j = 0; j < w.cols; ++j) s += w(i, j);
    sums(i, 0) = static_cast<float>(s);
  }
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
    rows.push_back({short_label(scaled.tokens[i]), num(s.entropy, p), num(u.entropy, p), num(s.largest, p),
                    num(u.largest, p)});
  }
  // The means of this head alone.
  const RunStats ms = run_stats(scaled.settings, {&hs}), mu = run_stats(unscaled.settings, {&hu});
  rows.push_back({"mean", num(ms.entropy, p), num(mu.entropy, p), num(ms.largest, p), num(mu.largest, p)});
  return grid(rows);
}

std::string entropy_legend(const Trace& t, int p) {
  const std::size_t n = t.tokens.size();
  std::string text = fmt::format(
      "H = −Σ α ln α is the entropy of a row of weights, in nats (natural log; bits = nats / ln 2): 0 when "
      "all the weight is on one token, {} when every token gets {}. {} is the row's largest weight.",
      glue(fmt::format("ln n = ln {} = {}", n, num(std::log(static_cast<double>(n)), p))),
      glue(fmt::format("1/n = {}", num(1.0 / static_cast<double>(n), p))), glue("max α"));
  if (t.settings.causal) text += " With the causal mask row i sees only i tokens, so its H is at most ln i.";
  return paragraph(text, 2, 2);
}

}  // namespace

std::string render_scale_comparison(const ScaleComparison& c, const CompareOptions& o) {
  const int p = o.precision;
  const Settings& s = c.scaled.settings;
  const Settings& large = c.scaled_large.settings;
  const std::vector<std::string>& tokens = c.scaled.tokens;

  std::string out = header("Scaling the scores by √d_k: with and without", c.scaled, o.color);
  out += fmt::format("  your run    {}, softmax {}\n", run_line(s), to_string(s.softmax));
  out += "\n";
  out += entropy_legend(c.scaled, p);

  // 1. The learner's d_k.
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

  // 2. The larger d_k.
  out += title(2, fmt::format("The same sentence at d_k = {}: projection rand, torch.manual_seed({}), d_out = {}, one head",
                              large.head_dim, large.seed, large.d_out),
               o.color);
  out += fmt::format("  Scaling divides by √{} = {}; softmax {}.\n\n", large.head_dim,
                     format_number(c.scaled_large.heads.front().scale_divisor, p), to_string(large.softmax));
  out += scale_row_table(c.scaled_large, c.unscaled_large, 0, p);

  // 3. The four runs, and why.
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
  out += paragraph(
      fmt::format("A score is a dot product {} of d_k terms. When the components are random "
                  "with mean 0 and variance 1, the variances of the terms add up: the score has variance d_k, so its "
                  "typical size (standard deviation) is √d_k, {} for your run but {} for the wider one. "
                  "The softmax turns differences of scores into ratios of weights (a gap of 3 already makes one "
                  "weight {} times another), so widely spread scores hand almost all the weight to the "
                  "largest: the row saturates toward one-hot, its entropy falls toward 0, and the softmax's gradient "
                  "almost vanishes, so training barely moves the weights. Dividing by √d_k brings the variance back "
                  "to about 1 whatever d_k is, and the weights stay soft.",
                  glue("q · k = q₁k₁ + q₂k₂ + …"),
                  glue(fmt::format("√{} = {}", small_dk, num(std::sqrt(static_cast<double>(s.head_dim)), 2))),
                  glue(fmt::format("√{} = {}", large_dk, num(std::sqrt(static_cast<double>(large.head_dim)), 2))),
                  glue("e³ ≈ 20")),
      2, 2);
  out += paragraph(
      "(torch.rand draws all its weights from [0, 1), so the wider run's scores are not centred on 0 and "
      "spread faster than √d_k: even divided by √d_k they may spread wider than 1. The division still makes the "
      "difference between soft rows and one-hot ones.)",
      2, 2);
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

namespace {

// ---------------------------------------------------------------- softmax

// "rows Big, numbers" or "every row".
std::string rows_named(const std::vector<std::size_t>& rows, const std::vector<std::string>& tokens) {
  if (rows.size() == tokens.size() && tokens.size() > 1) return "every row";
  std::vector<std::string> names;
  for (std::size_t i : rows) names.push_back(short_label(tokens[i]));
  return fmt::format("row{} {}", rows.size() == 1 ? "" : "s", join(names, ", "));
}

// What one normalisation's rows show: their sums, weights outside [0, 1], non-finite weights.
std::string check_line(const std::string& name, const HeadTrace& h, const std::vector<std::string>& tokens) {
  const Matrix& w = h.attn_weights;
  std::vector<std::size_t> not_one, non_finite, negative, above_one;
  for (std::size_t i = 0; i < w.rows; ++i) {
    double sum = 0.0;
    bool finite = true, below = false, above = false;
    for (std::size_t j = 0; j < w.cols; ++j) {
      const float a = w(i, j);
      sum += a;
      if (!std::isfinite(a)) finite = false;
      else if (a < 0.0f) below = true;
      else if (a > 1.0f) above = true;
    }
    if (!finite) non_finite.push_back(i);
    else if (std::fabs(sum - 1.0) > kSumTolerance) not_one.push_back(i);
    if (below) negative.push_back(i);
    if (above) above_one.push_back(i);
  }
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
  std::vector<std::size_t> broken;
  double largest_gap = 0.0;
  for (std::size_t i = 0; i < naive.attn_weights.rows; ++i) {
    bool finite = true;
    for (std::size_t j = 0; j < naive.attn_weights.cols; ++j) {
      const float a = naive.attn_weights(i, j), b = stable.attn_weights(i, j);
      if (!std::isfinite(a) || !std::isfinite(b)) finite = false;
      else largest_gap = std::max(largest_gap, std::fabs(static_cast<double>(a) - b));
    }
    if (!finite) broken.push_back(i);
  }
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

}  // namespace

std::string render_softmax_comparison(const SoftmaxComparison& c, const CompareOptions& o) {
  const int p = o.precision;
  const Settings& s = c.stable.settings;
  const std::vector<std::string>& tokens = c.stable.tokens;
  const TableStyle scores_style{o.color, Shade::diverging, false};

  std::string out = header("Three ways to turn scores into weights: sum, naive softmax, stable softmax", c.stable, o.color);
  out += fmt::format("  your run    {}, scores {}\n", run_line(s),
                     s.scale ? fmt::format("divided by √d_k = {}", format_number(c.stable.heads.front().scale_divisor, p))
                             : std::string("not scaled"));

  // 1. The learner's run.
  const std::string x = softmax_input_name(s);
  out += title(1, fmt::format("Your run: each row of x = {} normalised three ways", x), o.color);
  for (std::size_t h = 0; h < c.stable.heads.size(); ++h) {
    out += head_banner(c.stable, h);
    const HeadTrace& head = c.stable.heads[h];
    const bool masked = head.masked_scores.has_value();
    out += fmt::format("  x = {}{}\n", x, masked ? ", with -inf above the diagonal (causal mask)" : "");
    out += render_matrix(masked ? *head.masked_scores : head.scaled_scores, tokens, tokens, p, scores_style);
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
  out += paragraph(
      "Dividing by the row sum keeps the ratios of the scores themselves. Each row then sums to 1, but that is "
      "all: when scores are signed, a negative score gives a negative \"weight\", and when positive and negative "
      "scores nearly cancel the sum is small and the \"weights\" grow far beyond 1 (or divide by zero). The "
      "softmax exponentiates first, so every weight is positive, a larger score always gets a larger weight, and "
      "each row is a probability distribution.",
      2, 2);

  // 2. The overflow example.
  const Trace& on = c.overflow_naive;
  const Trace& os = c.overflow_stable;
  const std::vector<std::string>& otok = os.tokens;
  const HeadTrace& oh = on.heads.front();
  const float limit = std::log(std::numeric_limits<float>::max());
  out += title(2, fmt::format("When the naive softmax overflows: \"{}\"", os.sentence), o.color);
  out += fmt::format("  table {}, Q = K = V = X (projection none), scores not scaled\n\n", os.settings.table_name);
  out += fmt::format("  Embeddings  X  ({} × {})\n", os.inputs.rows, os.inputs.cols);
  out += render_matrix(os.inputs, otok, dim_labels(os.inputs.cols), p, scores_style);
  out += fmt::format("\n  Scores  x = ω = X · Xᵀ  ({0} × {0})\n", otok.size());
  out += render_matrix(oh.attn_scores, otok, otok, p, scores_style);

  std::vector<std::string> big;
  std::vector<std::size_t> big_rows;
  for (std::size_t i = 0; i < oh.attn_scores.rows; ++i) {
    bool row_big = false;
    for (std::size_t j = 0; j < oh.attn_scores.cols; ++j) {
      if (oh.attn_scores(i, j) > limit) {
        big.push_back(fmt::format("{}·{} = {}", short_label(otok[i]), short_label(otok[j]),
                                  format_number(oh.attn_scores(i, j), p)));
        row_big = true;
      }
    }
    if (row_big) big_rows.push_back(i);
  }
  out += "\n";
  std::string text = fmt::format(
      "float32 holds numbers up to {:.4e}, so exp(x) is inf for every x above {}.",
      std::numeric_limits<float>::max(),
      glue(fmt::format("ln({:.4e}) = {}", std::numeric_limits<float>::max(), format_number(limit, p))));
  if (big.empty()) {
    text += " No score here is that large.";
  } else {
    for (auto& b : big) b = glue(b);
    text += fmt::format(" Scores above it: {}. In {} the naive softmax's sum {} is inf, so {} is {} where x "
                        "overflowed and {} elsewhere.",
                        join(big, ", "), rows_named(big_rows, otok), glue("Σ exp(x)"), glue("exp(x) / Σ exp(x)"),
                        glue("inf / inf = nan"), glue("finite / inf = 0"));
  }
  out += paragraph(text, 2, 2);
  out += "\n";
  out += three_ways(c.overflow_sum, c.overflow_naive, c.overflow_stable, 0, o);
  for (const Trace* t : {&c.overflow_sum, &c.overflow_naive, &c.overflow_stable}) out += warnings_block(*t);

  text = fmt::format(
      "The stable softmax subtracts the row's largest score m before exponentiating. Mathematically that changes "
      "nothing: {} since the factor e^−m cancels. Numerically it changes everything: every {}, so every {} and "
      "nothing overflows, and the largest term is {}, so the sum is at least 1 and never 0.",
      glue("exp(x − m) / Σ exp(x − m) = e^−m·exp(x) / (e^−m·Σ exp(x)) = exp(x) / Σ exp(x),"), glue("x − m ≤ 0"),
      glue("exp(x − m) ≤ 1"), glue("exp(0) = 1"));
  if (!big_rows.empty()) {
    const std::size_t i = big_rows.front();
    float m = -std::numeric_limits<float>::infinity(), least = std::numeric_limits<float>::infinity();
    for (std::size_t j = 0; j < oh.attn_scores.cols; ++j) {
      m = std::max(m, oh.attn_scores(i, j));
      least = std::min(least, oh.attn_scores(i, j));
    }
    text += fmt::format(" In row {}, {}, so the exponents {} lie between {} and 0 instead of between {} and {}.",
                        short_label(otok[i]), glue("m = " + format_number(m, p)), glue("x − m"),
                        format_number(least - m, p), format_number(least, p), format_number(m, p));
  }
  text += " torch.softmax does this, and so does attn-explain unless you ask for --softmax naive.";
  out += "\n";
  out += paragraph(text, 2, 2);
  return out;
}

}  // namespace attn
