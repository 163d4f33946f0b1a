// The focus walkthrough: one query token's row of every stage, with the
// arithmetic written out. Quantities come from the Trace; only the terms that
// make them up (products, exps, sums, 1/(1 - p)) are computed here, to show.
#include "render_focus.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "attn/error.hpp"
#include "render_table.hpp"
#include "style.hpp"
#include "token_lookup.hpp"
#include "tokenizer.hpp"

namespace attn {

namespace {

constexpr std::size_t kLineWidth = 100;   // the terminal the text is laid out for
constexpr std::size_t kMaxTerms = 8;      // longer sums and vectors are shortened
constexpr std::size_t kShownHead = 3;     // ... to their first 3 items, "…", and the last
constexpr std::size_t kMaxLabel = 14;     // longer tokens are cut with "…"
constexpr std::size_t kBarWidth = 30;     // columns of a bar for weight 1

// The partial blocks for 1/8 … 7/8 of a column.
constexpr const char* kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};

std::string cut(const std::string& text, std::size_t width) { return elide(text, width); }


// Everything one focus walkthrough needs, so the helpers read like the text they make.
class FocusWriter {
 public:
  FocusWriter(const Trace& trace, std::size_t row, const FocusOptions& options)
      : t_(trace), i_(row), p_(options.precision), color_(options.color) {
    for (const auto& token : trace.tokens) labels_.push_back(cut(token, kMaxLabel));
    for (const auto& label : labels_) label_width_ = std::max(label_width_, display_width(label));
  }

  std::string render() {
    const std::size_t n = t_.tokens.size();
    out_ += bold(fmt::format("Focus: {}, token {} of {} (x({}) in the book's notation)", quoted(i_), i_ + 1, n, i_ + 1), color_);
    out_ += "\n";
    std::string sentence = "  tokens  ";
    for (std::size_t j = 0; j < n; ++j) sentence += fmt::format("{}{} {}", j ? ", " : "", j + 1, labels_[j]);
    out_ += (display_width(sentence) <= kLineWidth ? sentence : "  " + token_list(t_.tokens)) + "\n";
    for (std::size_t h = 0; h < t_.heads.size(); ++h) {
      if (t_.heads.size() > 1) out_ += fmt::format("\n──── head {} of {} ────\n", h + 1, t_.heads.size());
      render_head(h);
    }
    render_after_heads();
    return std::move(out_);
  }

 private:
  // ---- numbers and pieces of text ----

  std::string num(float v) const { return format_number(v, p_); }

  // A factor inside a spelled-out sum: trailing zeros dropped (0.55, not 0.5500),
  // a negative value in parentheses so that "+" and "×" stay readable.
  std::string factor(float v) const {
    std::string s = format_number(v, p_);
    if (std::isfinite(v) && s.find('.') != std::string::npos) {
      s.erase(s.find_last_not_of('0') + 1);
      if (s.back() == '.') s.pop_back();
      if (s == "-0") s = "0";
    }
    return s[0] == '-' ? "(" + s + ")" : s;
  }

  std::string product(float a, float b) const { return factor(a) + "×" + factor(b); }

  std::string quoted(std::size_t j) const { return "\"" + labels_[j] + "\""; }
  std::string label(std::size_t j) const { return pad_right(labels_[j], label_width_); }
  std::string note(const std::string& text) const { return dim(text, color_); }

  void title(const std::string& text) { out_ += fmt::format("\n{}. {}\n", ++step_, bold(text, color_)); }
  void line(const std::string& text) { out_ += "  " + text + "\n"; }
  void explain(const std::string& text) { out_ += "  " + note(text) + "\n"; }

  // The pieces of a sum of more than kMaxTerms: the first few, "…", the last.
  static std::vector<std::string> shorten(const std::vector<std::string>& pieces) {
    if (pieces.size() <= kMaxTerms) return pieces;
    std::vector<std::string> shown(pieces.begin(), pieces.begin() + kShownHead);
    shown.push_back("…");
    shown.push_back(pieces.back());
    return shown;
  }

  // "prefix a + b + … + z = result  (N terms)", wrapped at kLineWidth with
  // continuation lines that start with "+" under the first term.
  void spell(const std::string& prefix, const std::vector<std::string>& pieces, const std::string& result) {
    const std::vector<std::string> shown = shorten(pieces);
    const std::string count = pieces.size() > kMaxTerms ? fmt::format("  ({} terms)", pieces.size()) : "";
    const std::size_t start = display_width(prefix) + 2;
    const std::size_t indent = start <= 40 ? start : 8;
    std::string current = "  " + prefix;
    auto add = [&](const std::string& joiner, const std::string& piece) {
      if (display_width(current) + display_width(joiner) + display_width(piece) > kLineWidth &&
          display_width(current) > indent) {
        out_ += current + "\n";
        current = std::string(indent - 2, ' ') + joiner.substr(1) + piece;  // the joiner without its leading space
      } else {
        current += joiner + piece;
      }
    };
    for (std::size_t k = 0; k < shown.size(); ++k) {
      if (k == 0) current += shown[k];
      else add(" + ", shown[k]);
    }
    add(" = ", result);
    if (display_width(current) + display_width(count) > kLineWidth) {
      out_ += current + "\n";
      current = std::string(indent, ' ') + note(count.substr(2));
    } else {
      current += note(count);
    }
    out_ += current + "\n";
  }

  // A block of sums, one a line, "label = a + b + … = result". When every one
  // fits on a line the labels and the "=" line up; otherwise each is spelled
  // (and wrapped) on its own. `gap`, when not empty, is a note after the
  // first kShownHead sums (components left out).
  struct Sum {
    std::string label;
    std::vector<std::string> pieces;
    std::string result;
  };
  void spell_all(const std::vector<Sum>& sums, const std::string& gap = {}) {
    std::vector<std::string> joined;
    std::size_t label_width = 0, width = 0;
    for (const Sum& sum : sums) {
      std::string text;
      for (const std::string& piece : shorten(sum.pieces)) text += (text.empty() ? "" : " + ") + piece;
      joined.push_back(text);
      width = std::max(width, display_width(text));
      label_width = std::max(label_width, display_width(sum.label));
    }
    auto count = [](const Sum& sum) {
      return sum.pieces.size() > kMaxTerms ? fmt::format("  ({} terms)", sum.pieces.size()) : std::string();
    };
    bool fits = true;
    for (const Sum& sum : sums)
      fits = fits && 2 + label_width + 3 + width + 3 + display_width(sum.result) + display_width(count(sum)) <= kLineWidth;
    for (std::size_t k = 0; k < sums.size(); ++k) {
      if (!gap.empty() && k == kShownHead) explain(gap);
      if (fits) {
        line(pad_right(sums[k].label, label_width) + " = " + pad_right(joined[k], width) + " = " + sums[k].result +
             note(count(sums[k])));
      } else {
        spell(pad_right(sums[k].label, label_width) + " = ", sums[k].pieces, sums[k].result);
      }
    }
  }

  // A row of values as [a, b, c], or [a, b, c, …, z] with its length when long.
  std::string vec(const std::vector<float>& values) const {
    std::vector<std::string> items;
    for (float v : values) items.push_back(num(v));
    const std::vector<std::string> shown = shorten(items);
    std::string s = "[";
    for (std::size_t k = 0; k < shown.size(); ++k) s += (k ? ", " : "") + shown[k];
    s += "]";
    if (items.size() > kMaxTerms) s += note(fmt::format("  ({} values)", items.size()));
    return s;
  }

  static std::vector<float> row_of(const Matrix& m, std::size_t r) {
    return std::vector<float>(m.data.begin() + static_cast<std::ptrdiff_t>(r * m.cols),
                              m.data.begin() + static_cast<std::ptrdiff_t>((r + 1) * m.cols));
  }

  // The components to spell out of `count`: all of them, or the first few and the last.
  static std::vector<std::size_t> spelled_components(std::size_t count) {
    std::vector<std::size_t> shown;
    for (std::size_t c = 0; c < count; ++c)
      if (count <= kMaxTerms || c < kShownHead || c + 1 == count) shown.push_back(c);
    return shown;
  }

  // The sums of spelled_components(count), with a line for the components left out.
  void spell_components(const std::vector<Sum>& sums, std::size_t count) {
    spell_all(sums, count <= kMaxTerms ? std::string()
                                       : fmt::format("…  ({} more components, each spelled the same way)",
                                                     count - kShownHead - 1));
  }

  bool masked(const HeadTrace& h, std::size_t j) const { return (h.masked_scores || h.masked_weights) && j > i_; }

  // ---- the stages ----

  void render_head(std::size_t head_index) {
    const HeadTrace& h = t_.heads[head_index];
    step_ = 0;
    render_query(h, head_index);
    render_scores(h);
    if (t_.settings.scale) render_scaling(h);
    if (h.masked_scores) render_mask(h);
    render_normalisation(h);
    if (h.masked_weights) render_renormalisation(h);
    if (h.dropped_weights && h.dropout_mask) render_dropout(h);
    render_context(h);
    render_bars(h);
  }

  void render_query(const HeadTrace& h, std::size_t head_index) {
    const std::size_t x = i_ + 1;
    const std::vector<float> q = row_of(h.queries, i_);
    if (!h.W_query) {
      title(fmt::format("Query  q = x({})", x));
      if (h.queries.cols == t_.inputs.cols) {
        explain("No trainable weights: the query is the embedding itself, and so is every key and value:");
        explain(fmt::format("q = x({}), k(j) = x(j), v(j) = x(j).", x));
      } else {
        const std::size_t first = head_index * h.queries.cols;
        explain(fmt::format("No trainable weights: this head's queries, keys and values are columns d{}…d{}",
                            first, first + h.queries.cols - 1));
        explain("of the embeddings.");
      }
      line(fmt::format("q = x({}) = {}", x, vec(q)));
      return;
    }
    const Matrix& W = *h.W_query;
    const bool bias = h.b_query.has_value();
    const bool sliced = t_.settings.multihead == Multihead::split && t_.heads.size() > 1;
    title(fmt::format("Query  q = x({}) · W_query{}", x, bias ? " + b_query" : ""));
    line(fmt::format("x({}) = {}   the embedding of {}", x, vec(row_of(t_.inputs, i_)), quoted(i_)));
    explain(fmt::format("Component c of q is x({}) times column c of W_query{}{}:", x,
                        sliced ? " (this head's slice of it)" : "", bias ? ", plus b_query[c]" : ""));
    std::vector<Sum> sums;
    for (std::size_t c : spelled_components(W.cols)) {
      Sum sum{fmt::format("q[{}] = x({})·W_query[:,{}]{}", c, x, c, bias ? fmt::format(" + b[{}]", c) : ""),
              {}, num(h.queries(i_, c))};
      for (std::size_t k = 0; k < W.rows; ++k) sum.pieces.push_back(product(t_.inputs(i_, k), W(k, c)));
      if (bias) sum.pieces.push_back(factor((*h.b_query)[c]));
      sums.push_back(std::move(sum));
    }
    spell_components(sums, W.cols);
    line(fmt::format("q = {}", vec(q)));
    explain(fmt::format("Keys and values are made alike: k(j) = x(j) · W_key{}, v(j) = x(j) · W_value{}.",
                        bias ? " + b_key" : "", bias ? " + b_value" : ""));
  }

  void render_scores(const HeadTrace& h) {
    const std::size_t n = t_.tokens.size();
    const std::size_t d = h.queries.cols;
    title(fmt::format("Scores  ω({},j) = q · k(j), one product per dimension, summed", i_ + 1));
    std::vector<Sum> sums;
    for (std::size_t j = 0; j < n; ++j) {
      // Pad "ω(i,j)" so the "=" after it lines up when j reaches two digits.
      const std::string name = pad_right(fmt::format("ω({},{})", i_ + 1, j + 1), display_width(fmt::format("ω({},{})", i_ + 1, n)));
      Sum sum{fmt::format("{} = q({})·k({})", name, quoted(i_), quoted(j)), {}, num(h.attn_scores(i_, j))};
      for (std::size_t k = 0; k < d; ++k) sum.pieces.push_back(product(h.queries(i_, k), h.keys(j, k)));
      sums.push_back(std::move(sum));
    }
    spell_all(sums);
  }

  void render_scaling(const HeadTrace& h) {
    title(fmt::format("Scaling  ω / √d_k, with √d_k = √{} = {}", h.keys.cols, num(h.scale_divisor)));
    explain("Dividing by √d_k keeps the scores of wide vectors from saturating the softmax.");
    for (std::size_t j = 0; j < t_.tokens.size(); ++j) {
      line(fmt::format("{}  {} / {} = {}", label(j), num(h.attn_scores(i_, j)), num(h.scale_divisor),
                       num(h.scaled_scores(i_, j))));
    }
  }

  // The values the normalisation starts from, and their name.
  const Matrix& normalised_input(const HeadTrace& h) const { return h.masked_scores ? *h.masked_scores : h.scaled_scores; }
  std::string input_name() const { return t_.settings.scale ? "the scaled scores" : "the scores"; }

  void render_mask(const HeadTrace& h) {
    const std::size_t n = t_.tokens.size();
    title(fmt::format("Causal mask  keys after {} are in the future: their scores become -inf", quoted(i_)));
    if (i_ + 1 == n) explain(fmt::format("{} is the last token: every key comes before it, nothing is masked.", quoted(i_)));
    std::size_t width = 0;
    for (std::size_t j = 0; j < n; ++j) width = std::max(width, num(h.masked_scores->operator()(i_, j)).size());
    for (std::size_t j = 0; j < n; ++j) {
      const std::string why = j < i_ ? fmt::format("before {}: kept", quoted(i_))
                              : j == i_ ? "the token itself: kept"
                                        : "in the future: masked";
      line(fmt::format("{}  {}   {}", label(j), pad_left(num((*h.masked_scores)(i_, j)), width), why));
    }
  }

  // "Check: a + b + … = 1.0000" for a row of weights.
  void check_sum(const std::vector<float>& weights, const std::string& what, bool signed_inputs) {
    std::vector<std::string> pieces;
    float total = 0.0f;
    for (float w : weights) {
      pieces.push_back(num(w));
      total += w;
    }
    spell("Check: ", pieces, num(total));
    if (signed_inputs) {
      explain(fmt::format("The inputs have mixed signs, so {} can be negative: they add up to 1 but are", what));
      explain("not a probability distribution (a softmax is one).");
    } else if (std::isfinite(total) && std::fabs(total - 1.0f) < 1e-3f) {
      explain(fmt::format("{} sum to 1, as the weights of an average must.", what));
    } else {
      explain(fmt::format("{} do not sum to 1 here: the arithmetic broke down (inf or nan above).", what));
    }
  }

  void render_normalisation(const HeadTrace& h) {
    const std::size_t n = t_.tokens.size();
    const Matrix& s = normalised_input(h);
    const std::string x = input_name();
    const bool renorm = h.masked_weights.has_value();
    // The result of the division: from the Trace (α, or the masked weights before
    // renormalisation); a future key's softmax under renorm is not kept there.
    auto divided = [&](std::size_t j, float numerator, float denominator) {
      if (!renorm) return h.attn_weights(i_, j);
      return j <= i_ ? (*h.masked_weights)(i_, j) : numerator / denominator;
    };
    std::vector<float> numerators(n);
    float sum = 0.0f;
    bool signed_inputs = false;
    switch (t_.settings.softmax) {
      case Softmax::stable: {
        title(fmt::format("Softmax  α({0},j) = exp(s(j) − max) / Σ exp(s(k) − max), s = {1}", i_ + 1, x));
        std::size_t arg_max = 0;
        for (std::size_t j = 1; j < n; ++j)
          if (s(i_, j) > s(i_, arg_max)) arg_max = j;
        const float row_max = s(i_, arg_max);
        explain(fmt::format("Subtract the row's largest value, {} ({}), so that no exp can overflow:", num(row_max),
                            quoted(arg_max)));
        std::vector<std::string> lhs;
        std::size_t width = 0;
        for (std::size_t j = 0; j < n; ++j) {
          lhs.push_back(fmt::format("exp({} − {})", num(s(i_, j)), row_max < 0 ? "(" + num(row_max) + ")" : num(row_max)));
          width = std::max(width, display_width(lhs.back()));
        }
        std::vector<std::string> shifted;
        std::size_t shifted_width = 0;
        for (std::size_t j = 0; j < n; ++j) {
          const float difference = s(i_, j) - row_max;
          numerators[j] = std::exp(difference);
          sum += numerators[j];
          shifted.push_back(fmt::format("exp({})", num(difference)));
          shifted_width = std::max(shifted_width, shifted.back().size());
        }
        for (std::size_t j = 0; j < n; ++j) {
          line(fmt::format("{}  {} = {} = {}{}", label(j), pad_right(lhs[j], width), pad_right(shifted[j], shifted_width),
                           num(numerators[j]), masked(h, j) && h.masked_scores ? note("   masked: exp(-inf) = 0") : ""));
        }
        break;
      }
      case Softmax::naive: {
        title(fmt::format("Naive softmax  α({0},j) = exp(s(j)) / Σ exp(s(k)), s = {1}", i_ + 1, x));
        explain("The book's softmax_naive: no maximum is subtracted, so exp can overflow.");
        bool overflow = false;
        std::size_t width = 0;
        for (std::size_t j = 0; j < n; ++j) width = std::max(width, num(s(i_, j)).size());
        for (std::size_t j = 0; j < n; ++j) {
          numerators[j] = std::exp(s(i_, j));
          sum += numerators[j];
          overflow = overflow || std::isinf(numerators[j]);
          line(fmt::format("{}  {} = {}{}", label(j), pad_right("exp(" + num(s(i_, j)) + ")", width + 5),
                           num(numerators[j]), masked(h, j) && h.masked_scores ? note("   masked: exp(-inf) = 0") : ""));
        }
        if (overflow) {
          explain("Overflow: exp of a value above 88.72 is inf in float32, so the weights become nan or 0.");
          explain("The stable softmax (--softmax stable) subtracts the row max first and avoids this.");
        }
        break;
      }
      case Softmax::sum: {
        title(fmt::format("Division by the row sum  α({0},j) = s(j) / Σ s(k), s = {1} (not a softmax)", i_ + 1, x));
        for (std::size_t j = 0; j < n; ++j) {
          const bool left_out = h.masked_scores && j > i_;
          numerators[j] = left_out ? 0.0f : s(i_, j);
          if (!left_out) {
            sum += numerators[j];
            signed_inputs = signed_inputs || numerators[j] < 0.0f;
          }
        }
        if (h.masked_scores && i_ + 1 < n) explain("The masked keys (-inf) are left out of the sum; their weight is 0.");
        break;
      }
    }
    std::vector<std::string> pieces;
    for (std::size_t j = 0; j < n; ++j)
      if (!(t_.settings.softmax == Softmax::sum && h.masked_scores && j > i_)) pieces.push_back(num(numerators[j]));
    spell("Sum: ", pieces, num(sum));
    explain("Divide each by the sum:");
    for (std::size_t j = 0; j < n; ++j) {
      if (t_.settings.softmax == Softmax::sum && h.masked_scores && j > i_) {
        line(fmt::format("{}  masked: 0", label(j)));
        continue;
      }
      line(fmt::format("{}  {} / {} = {}", label(j), num(numerators[j]), num(sum), num(divided(j, numerators[j], sum))));
    }
    if (renorm) {
      explain("This softmax still sees every key; the causal mask comes next.");
    } else {
      check_sum(row_of(h.attn_weights, i_), "The weights", signed_inputs);
    }
  }

  void render_renormalisation(const HeadTrace& h) {
    const std::size_t n = t_.tokens.size();
    title(fmt::format("Causal mask  zero the weights of keys after {} (the future), renormalise", quoted(i_)));
    if (i_ + 1 == n) explain(fmt::format("{} is the last token: nothing is zeroed.", quoted(i_)));
    std::vector<std::string> kept;
    float sum = 0.0f;
    for (std::size_t j = 0; j < n; ++j) {
      const float w = (*h.masked_weights)(i_, j);
      line(fmt::format("{}  {}   {}", label(j), num(w), j > i_ ? "in the future: zeroed" : "kept"));
      if (j <= i_) {
        kept.push_back(num(w));
        sum += w;
      }
    }
    spell("New row sum: ", kept, num(sum));
    explain("Divide each kept weight by it, so that the row sums to 1 again:");
    for (std::size_t j = 0; j <= i_; ++j)
      line(fmt::format("{}  {} / {} = {}", label(j), num((*h.masked_weights)(i_, j)), num(sum), num(h.attn_weights(i_, j))));
    for (std::size_t j = i_ + 1; j < n; ++j) line(fmt::format("{}  {}", label(j), num(h.attn_weights(i_, j))));
    check_sum(row_of(h.attn_weights, i_), "The weights", false);
  }

  void render_dropout(const HeadTrace& h) {
    const double p = t_.settings.dropout;
    const float keep_scale = 1.0f / static_cast<float>(1.0 - p);
    title(fmt::format("Dropout  p = {:.6g}: each weight survives with probability {:.6g}", p, 1.0 - p));
    explain(fmt::format("Survivors are multiplied by 1/(1 − p) = 1/{:.6g} = {}, so the expected sum stays 1.", 1.0 - p,
                        factor(keep_scale)));
    std::string mask = "mask  ";
    for (std::size_t j = 0; j < t_.tokens.size(); ++j) mask += std::string(j ? " " : "") + ((*h.dropout_mask)(i_, j) != 0.0f ? "1" : "0");
    line(mask + note("   (1 = kept, 0 = dropped)"));
    std::vector<float> dropped = row_of(*h.dropped_weights, i_);
    for (std::size_t j = 0; j < t_.tokens.size(); ++j) {
      const bool kept = (*h.dropout_mask)(i_, j) != 0.0f;
      line(fmt::format("{}  {}  {} × {} = {}", label(j), kept ? "kept   " : "dropped", num(h.attn_weights(i_, j)),
                       kept ? factor(keep_scale) : "0", num(dropped[j])));
    }
    float total = 0.0f;
    for (float w : dropped) total += w;
    explain(fmt::format("After dropout the row sums to {}, not 1; the context vector uses these weights.", num(total)));
  }

  void render_context(const HeadTrace& h) {
    const std::size_t n = t_.tokens.size();
    const bool dropout = h.dropped_weights.has_value();
    const Matrix& a = dropout ? *h.dropped_weights : h.attn_weights;
    title(fmt::format("Context vector  z({0}) = Σ_j α({0},j) v(j){1}", i_ + 1, dropout ? ", α after dropout" : ""));
    explain("Component c of z is the weighted sum of component c of every value vector:");
    std::vector<Sum> sums;
    for (std::size_t c : spelled_components(h.values.cols)) {
      Sum sum{fmt::format("z[{}]", c), {}, num(h.context_vec(i_, c))};
      for (std::size_t j = 0; j < n; ++j) sum.pieces.push_back(product(a(i_, j), h.values(j, c)));
      sums.push_back(std::move(sum));
    }
    spell_components(sums, h.values.cols);
    line(fmt::format("z({}) = {}", i_ + 1, vec(row_of(h.context_vec, i_))));
  }

  std::string bar(float w) const {
    if (!std::isfinite(w) || w <= 0.0f) return "";
    const auto eighths = static_cast<std::size_t>(std::lround(std::min(w, 1.0f) * static_cast<float>(kBarWidth * 8)));
    std::string s;
    for (std::size_t k = 0; k < eighths / 8; ++k) s += "█";
    return s + kEighths[eighths % 8];
  }

  void render_bars(const HeadTrace& h) {
    const std::size_t n = t_.tokens.size();
    title(fmt::format("Where {} looks  α({},j) as bars, {} columns = 1{}", quoted(i_), i_ + 1, kBarWidth,
                      h.dropped_weights ? " (before dropout)" : ""));
    std::vector<std::size_t> order;
    for (std::size_t j = 0; j < n; ++j)
      if (std::isfinite(h.attn_weights(i_, j))) order.push_back(j);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return h.attn_weights(i_, a) > h.attn_weights(i_, b); });
    for (std::size_t j = 0; j < n; ++j) {
      const float w = h.attn_weights(i_, j);
      const bool largest = !order.empty() && j == order.front();
      const std::string drawn = pad_right(bar(w), kBarWidth);
      line(fmt::format("{}  {}  {}", label(j), largest ? bold(drawn, color_) : drawn,
                       largest ? bold(num(w), color_) : num(w)));
    }
    out_ += "\n  " + attends_most(h, order) + "\n";
  }

  // One sentence: the top key, then the next one or two when they come close (half the top weight or more).
  std::string attends_most(const HeadTrace& h, const std::vector<std::size_t>& order) const {
    auto named = [&](std::size_t j) { return fmt::format("{} ({})", quoted(j), num(h.attn_weights(i_, j))); };
    if (order.empty()) return fmt::format("The weights of {} are not numbers: there is nothing to rank.", quoted(i_));
    if (t_.tokens.size() == 1) return fmt::format("{} is alone: it attends only to itself ({}).", quoted(i_), num(h.attn_weights(i_, 0)));
    const float top = h.attn_weights(i_, order.front());
    std::vector<std::size_t> next;
    for (std::size_t k = 1; k < order.size() && next.size() < 2; ++k) {
      const float w = h.attn_weights(i_, order[k]);
      if (w > 0.0f && w >= 0.5f * top) next.push_back(order[k]);
    }
    std::string s = fmt::format("{} attends most to {}", quoted(i_), named(order.front()));
    if (next.size() == 1) s += ", then to " + named(next[0]);
    if (next.size() == 2) s += ", then to " + named(next[0]) + " and " + named(next[1]);
    return s + ".";
  }

  void render_after_heads() {
    if (t_.concatenated) {
      const std::size_t per_head = t_.heads.front().context_vec.cols;
      std::string row = "[";
      for (std::size_t c = 0; c < t_.concatenated->cols; ++c) {
        row += c == 0 ? "" : (c % per_head == 0 ? " | " : ", ");
        row += num((*t_.concatenated)(i_, c));
      }
      row += "]";
      out_ += fmt::format("\n{}\n", bold("Heads concatenated  [z₁ | z₂ | …]", color_));
      explain(fmt::format("Each head's context vector for {}, side by side ({} values):", quoted(i_), t_.concatenated->cols));
      if (display_width(row) + 2 <= kLineWidth) line(row);
      else line(vec(row_of(*t_.concatenated, i_)));
      if (!t_.out_proj) explain("The wrapper's output is this concatenation.");
    }
    if (t_.out_proj) {
      out_ += fmt::format("\n{}\n", bold("Output  concatenated · out_proj.weight + out_proj.bias", color_));
      explain(fmt::format("out_proj, a {0} × {0} linear layer, mixes what the heads found into {1}'s output:",
                          t_.out_proj->weight.rows, quoted(i_)));
      line(fmt::format("output({}) = {}", i_ + 1, vec(row_of(t_.output, i_))));
    }
  }

  const Trace& t_;
  std::size_t i_;
  int p_;
  bool color_;
  std::vector<std::string> labels_;
  std::size_t label_width_ = 0;
  int step_ = 0;
  std::string out_;
};

}  // namespace

std::string render_focus(const Trace& trace, std::size_t row, const FocusOptions& options) {
  return FocusWriter(trace, row, options).render();
}

}  // namespace attn
