// The focus walkthrough from weights to output: dropout, the context vector,
// the weights as bars with a sentence about them, and what follows the heads.
#include "focus_context.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "printed_arithmetic.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/trace_stats.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

// The partial blocks for 1/8 … 7/8 of a column.
constexpr const char* kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};

// A bar of kBarWidth columns per unit of weight, in eighths; none for a weight
// that is not a positive number.
std::string bar(float w) {
  if (!std::isfinite(w) || w <= 0.0f) return "";
  const auto eighths = static_cast<std::size_t>(std::lround(std::min(w, 1.0f) * static_cast<float>(kBarWidth * 8)));
  std::string s;
  for (std::size_t k = 0; k < eighths / 8; ++k) s += "█";
  return s + kEighths[eighths % 8];
}

// "a", "a and b", "a, b and c", "a, b, c and 4 more": at most three named.
std::string name_list(const FocusPage& page, const std::vector<std::size_t>& keys) {
  std::vector<std::string> names;
  for (std::size_t k = 0; k < keys.size() && k < 3; ++k) names.push_back(page.quoted(keys[k]));
  if (keys.size() > 3) names.push_back(fmt::format("{} more", keys.size() - 3));
  std::string list = names.front();
  for (std::size_t k = 1; k < names.size(); ++k) list += (k + 1 == names.size() ? " and " : ", ") + names[k];
  return list;
}

// One sentence: the key (or the tied keys) with the largest weight, then the
// next one or two when they come close (half the top weight or more). Weights
// that print alike are a tie, never a ranking. `order` holds the visible keys,
// largest first.
std::string attends_most(const FocusPage& page, const HeadTrace& h, const StrongestKeys& top,
                         const std::vector<std::size_t>& order) {
  const std::size_t i = page.i;
  auto named = [&](std::size_t j) { return fmt::format("{} ({})", page.quoted(j), page.num(h.attn_weights(i, j))); };
  if (top.keys.empty()) return fmt::format("The weights of {} are not numbers: there is nothing to rank.", page.quoted(i));
  if (page.trace.tokens.size() == 1) {
    return fmt::format("{} is alone: it attends only to itself ({}).", page.quoted(i), page.num(h.attn_weights(i, 0)));
  }
  const std::string weight = page.num(h.attn_weights(i, top.keys.front()));
  if (top.even) {
    return fmt::format("{} spreads its attention evenly: each of the {} keys it sees gets {}.", page.quoted(i),
                       top.keys.size(), weight);
  }
  std::string s = top.keys.size() == 1
                      ? fmt::format("{} attends most to {}", page.quoted(i), named(top.keys.front()))
                      : fmt::format("{} attends most to {}, tied at {}", page.quoted(i), name_list(page, top.keys), weight);
  // The runners-up: keys not in the top with half its weight or more, in tied groups.
  const float w_top = h.attn_weights(i, top.keys.front());
  std::vector<std::size_t> close;
  for (std::size_t j : order) {
    const float w = h.attn_weights(i, j);
    const bool tied = std::find(top.keys.begin(), top.keys.end(), j) != top.keys.end();
    if (!tied && w > 0.0f && w >= 0.5f * w_top) close.push_back(j);
  }
  auto group_from = [&](std::size_t first) {
    std::vector<std::size_t> group;
    for (std::size_t k = first; k < close.size(); ++k)
      if (page.num(h.attn_weights(i, close[k])) == page.num(h.attn_weights(i, close[first]))) group.push_back(close[k]);
    return group;
  };
  if (close.empty()) return s + ".";
  std::vector<std::size_t> next = group_from(0);
  if (next.size() > 1) {
    std::sort(next.begin(), next.end());
    return s + ", then to " + name_list(page, next) + " (" + page.num(h.attn_weights(i, next[0])) + " each).";
  }
  s += ", then to " + named(next[0]);
  // A second runner-up only when it stands alone too: naming one of a tied group would rank it.
  if (close.size() > 1 && group_from(1).size() == 1) s += " and " + named(close[1]);
  return s + ".";
}

}  // namespace

void write_dropout(FocusPage& page, const HeadTrace& h) {
  const std::size_t i = page.i, n = page.trace.tokens.size();
  const double p = page.trace.settings.dropout;
  const float keep_scale = 1.0f / static_cast<float>(1.0 - p);
  const Matrix& mask = *h.dropout_mask;
  page.title(fmt::format("Dropout  p = {:.6g}: each weight survives with probability {:.6g}", p, 1.0 - p));
  page.explain(fmt::format("Survivors are multiplied by 1/(1 − p) = 1/{:.6g} = {}, so the expected sum stays 1.", 1.0 - p,
                           page.factor(keep_scale)));
  std::string mask_line = "mask  ";
  for (std::size_t j = 0; j < n; ++j) mask_line += std::string(j ? " " : "") + (mask(i, j) != 0.0f ? "1" : "0");
  page.line(mask_line + page.note("   (1 = kept, 0 = dropped)"));
  const std::vector<float> dropped = row_of(*h.dropped_weights, i);
  for (std::size_t j = 0; j < n; ++j) {
    const bool kept = mask(i, j) != 0.0f;
    const std::string w = page.num(h.attn_weights(i, j)), scale = kept ? page.factor(keep_scale) : "0",
                      r = page.num(dropped[j]);
    page.line(fmt::format("{}  {}  {} × {}{}{}", page.label(j), kept ? "kept   " : "dropped", w, scale,
                          page.equals(product_holds(w, scale, r)), r));
  }
  float total = 0.0f;
  for (float w : dropped) total += w;
  page.explain(fmt::format("After dropout the row sums to {}, not 1; the context vector uses these weights.",
                           page.num(total)));
}

void write_context(FocusPage& page, const HeadTrace& h) {
  const std::size_t i = page.i, n = page.trace.tokens.size();
  const bool dropout = h.dropped_weights.has_value();
  const Matrix& a = dropout ? *h.dropped_weights : h.attn_weights;
  page.title(fmt::format("Context vector  z({0}) = Σ_j α({0},j) v(j){1}", i + 1, dropout ? ", α after dropout" : ""));
  page.explain("Component c of z is the weighted sum of component c of every value vector:");
  std::vector<Sum> sums;
  for (std::size_t c : spelled_components(h.values.cols)) {
    Sum sum{fmt::format("z[{}]", c), {}, page.num(h.context_vec(i, c))};
    for (std::size_t j = 0; j < n; ++j) sum.pieces.push_back(page.product(a(i, j), h.values(j, c)));
    sums.push_back(std::move(sum));
  }
  page.spell_components(sums, h.values.cols);
  page.line(fmt::format("z({}) = {}", i + 1, page.vec(row_of(h.context_vec, i))));
}

void write_bars(FocusPage& page, const HeadTrace& h) {
  const std::size_t i = page.i, n = page.trace.tokens.size();
  page.title(fmt::format("Where {} looks  α({},j) as bars, {} columns = 1{}", page.quoted(i), i + 1, kBarWidth,
                         h.dropped_weights ? " (before dropout)" : ""));
  const std::size_t visible = visible_keys(page.trace.settings, i, n);
  const StrongestKeys top = strongest_keys(h.attn_weights.row(i), visible, page.precision());
  std::vector<std::size_t> order;
  for (std::size_t j = 0; j < visible; ++j) order.push_back(j);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return h.attn_weights(i, a) > h.attn_weights(i, b); });
  for (std::size_t j = 0; j < n; ++j) {
    const float w = h.attn_weights(i, j);
    const bool largest = !top.even && std::find(top.keys.begin(), top.keys.end(), j) != top.keys.end();
    const std::string drawn = pad_right(bar(w), kBarWidth);
    page.line(fmt::format("{}  {}  {}", page.label(j), largest ? page.strong(drawn) : drawn,
                          largest ? page.strong(page.num(w)) : page.num(w)));
  }
  page.text("\n  " + attends_most(page, h, top, order) + "\n");
}

void write_after_heads(FocusPage& page) {
  const Trace& t = page.trace;
  const std::size_t i = page.i;
  if (t.concatenated) {
    const std::size_t per_head = t.heads.front().context_vec.cols;
    std::string row = "[";
    for (std::size_t c = 0; c < t.concatenated->cols; ++c) {
      row += c == 0 ? "" : (c % per_head == 0 ? " | " : ", ");
      row += page.num((*t.concatenated)(i, c));
    }
    row += "]";
    page.text(fmt::format("\n{}\n", page.strong("Heads concatenated  [z₁ | z₂ | …]")));
    page.explain(fmt::format("Each head's context vector for {}, side by side ({} values):", page.quoted(i),
                             t.concatenated->cols));
    if (display_width(row) + 2 <= kTextWidth) page.line(row);
    else page.line(page.vec(row_of(*t.concatenated, i)));
    if (!t.out_proj) page.explain("The wrapper's output is this concatenation.");
  }
  if (t.out_proj) {
    page.text(fmt::format("\n{}\n", page.strong("Output  concatenated · out_proj.weight + out_proj.bias")));
    page.explain(fmt::format("out_proj, a {0} × {0} linear layer, mixes what the heads found into {1}'s output:",
                             t.out_proj->weight.rows, page.quoted(i)));
    page.line(fmt::format("output({}) = {}", i + 1, page.vec(row_of(t.output, i))));
  }
}

}  // namespace attn
