// The focus walkthrough from scores to weights: scaling, the causal mask, the
// softmax (its numbers from the engine's normalise_row), renormalisation.
#include "focus_normalisation.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "attn/softmax.hpp"
#include "printed_arithmetic.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

// The values the normalisation starts from (as the engine chose them), and their name.
const Matrix& normalised_input(const HeadTrace& h) { return h.masked_scores ? *h.masked_scores : h.scaled_scores; }
std::string input_name(const Settings& s) { return s.scale ? "the scaled scores" : "the scores"; }

std::string masked_note(const FocusPage& page, const HeadTrace& h, std::size_t j) {
  return h.masked_scores && j > page.i ? page.note("   masked: exp(-inf) = 0") : "";
}

// "Check: a + b + … = 1.0000" for a row of weights, and what the sum means.
void check_sum(FocusPage& page, const std::vector<float>& weights, const std::string& what, bool signed_inputs) {
  std::vector<std::string> pieces;
  float total = 0.0f;
  for (float w : weights) {
    pieces.push_back(page.num(w));
    total += w;
  }
  page.spell("Check: ", pieces, page.num(total));
  const std::optional<std::string> printed = printed_sum(pieces);
  if (printed && sum_holds(pieces, page.num(total)) == false) {
    page.explain(fmt::format("The rounded terms add up to {}; unrounded, the weights sum to {}.", *printed,
                             page.num(total)));
  }
  if (signed_inputs) {
    page.explain(fmt::format("The inputs have mixed signs, so {} can be negative: they add up to 1 but are", what));
    page.explain("not a probability distribution (a softmax is one).");
  } else if (std::isfinite(total) && std::fabs(total - 1.0f) < 1e-3f) {
    page.explain(fmt::format("{} sum to 1, as the weights of an average must.", what));
  } else {
    page.explain(fmt::format("{} do not sum to 1 here: the arithmetic broke down (inf or nan above).", what));
  }
}

// Softmax::stable: the row max, then each exp(s − max).
void write_stable_exps(FocusPage& page, const HeadTrace& h, const RowNormalisation& r) {
  const std::size_t i = page.i, n = page.trace.tokens.size();
  const Matrix& s = normalised_input(h);
  page.title(fmt::format("Softmax  α({0},j) = exp(s(j) − max) / Σ exp(s(k) − max), s = {1}", i + 1,
                         input_name(page.trace.settings)));
  // The key that holds the max (the first, if several do).
  std::size_t arg_max = 0;
  while (arg_max < n && !(s(i, arg_max) == r.max)) ++arg_max;
  if (arg_max == n) arg_max = 0;
  page.explain(fmt::format("Subtract the row's largest value, {} ({}), so that no exp can overflow:", page.num(r.max),
                           page.quoted(arg_max)));
  const std::string max_text = r.max < 0 ? fmt::format("({})", page.num(r.max)) : page.num(r.max);
  std::vector<std::string> lhs, shifted;
  std::size_t width = 0, shifted_width = 0;
  for (std::size_t j = 0; j < n; ++j) {
    lhs.push_back(fmt::format("exp({} − {})", page.num(s(i, j)), max_text));
    width = std::max(width, display_width(lhs.back()));
    shifted.push_back(fmt::format("exp({})", page.num(s(i, j) - r.max)));
    shifted_width = std::max(shifted_width, shifted.back().size());
  }
  for (std::size_t j = 0; j < n; ++j) {
    const std::string eq = page.equals(difference_holds(page.num(s(i, j)), page.num(r.max), page.num(s(i, j) - r.max)));
    page.line(fmt::format("{}  {}{}{} = {}{}", page.label(j), pad_right(lhs[j], width), eq,
                          pad_right(shifted[j], shifted_width), page.num(r.numerators[j]), masked_note(page, h, j)));
  }
}

// Softmax::naive: each exp(s), and what happens when one overflows.
void write_naive_exps(FocusPage& page, const HeadTrace& h, const RowNormalisation& r) {
  const std::size_t i = page.i, n = page.trace.tokens.size();
  const Matrix& s = normalised_input(h);
  page.title(fmt::format("Naive softmax  α({0},j) = exp(s(j)) / Σ exp(s(k)), s = {1}", i + 1,
                         input_name(page.trace.settings)));
  page.explain("The book's softmax_naive: no maximum is subtracted, so exp can overflow.");
  std::size_t width = 0;
  for (std::size_t j = 0; j < n; ++j) width = std::max(width, page.num(s(i, j)).size());
  for (std::size_t j = 0; j < n; ++j) {
    page.line(fmt::format("{}  {} = {}{}", page.label(j), pad_right("exp(" + page.num(s(i, j)) + ")", width + 5),
                          page.num(r.numerators[j]), masked_note(page, h, j)));
  }
  if (std::any_of(r.numerators.begin(), r.numerators.end(), [](float e) { return std::isinf(e); })) {
    page.explain("Overflow: exp of a value above 88.72 is inf in float32, so the weights become nan or 0.");
    page.explain("The stable softmax (--softmax stable) subtracts the row max first and avoids this.");
  }
}

}  // namespace

void write_scaling(FocusPage& page, const HeadTrace& h) {
  const std::size_t i = page.i;
  page.title(fmt::format("Scaling  ω / √d_k, with √d_k = √{} = {}", h.keys.cols, page.num(h.scale_divisor)));
  page.explain("Dividing by √d_k keeps the scores of wide vectors from saturating the softmax.");
  for (std::size_t j = 0; j < page.trace.tokens.size(); ++j) {
    const std::string a = page.num(h.attn_scores(i, j)), b = page.num(h.scale_divisor), q = page.num(h.scaled_scores(i, j));
    page.line(fmt::format("{}  {} / {}{}{}", page.label(j), a, b, page.equals(quotient_holds(a, b, q)), q));
  }
}

void write_mask(FocusPage& page, const HeadTrace& h) {
  const std::size_t i = page.i, n = page.trace.tokens.size();
  const Matrix& masked = *h.masked_scores;
  page.title(fmt::format("Causal mask  keys after {} are in the future: their scores become -inf", page.quoted(i)));
  if (i + 1 == n) {
    page.explain(fmt::format("{} is the last token: every key comes before it, nothing is masked.", page.quoted(i)));
  }
  std::size_t width = 0;
  for (std::size_t j = 0; j < n; ++j) width = std::max(width, page.num(masked(i, j)).size());
  for (std::size_t j = 0; j < n; ++j) {
    const std::string why = j < i    ? fmt::format("before {}: kept", page.quoted(i))
                            : j == i ? "the token itself: kept"
                                     : "in the future: masked";
    page.line(fmt::format("{}  {}   {}", page.label(j), pad_left(page.num(masked(i, j)), width), why));
  }
}

void write_normalisation(FocusPage& page, const HeadTrace& h) {
  const std::size_t i = page.i, n = page.trace.tokens.size();
  const Softmax softmax = page.trace.settings.softmax;
  // The engine's own normalisation of this row (attend_head's call), for its max, numerators and sum.
  const std::size_t visible = h.masked_scores ? i + 1 : n;
  const RowNormalisation r = normalise_row(normalised_input(h).row(i), softmax, visible);
  const bool renorm = h.masked_weights.has_value();
  // A key the sum normalisation leaves out (masked with -inf): no numerator, weight 0.
  auto left_out = [&](std::size_t j) { return softmax == Softmax::sum && j >= visible; };
  bool signed_inputs = false;
  switch (softmax) {
    case Softmax::stable:
      write_stable_exps(page, h, r);
      break;
    case Softmax::naive:
      write_naive_exps(page, h, r);
      break;
    case Softmax::sum:
      page.title(fmt::format("Division by the row sum  α({0},j) = s(j) / Σ s(k), s = {1} (not a softmax)", i + 1,
                             input_name(page.trace.settings)));
      for (std::size_t j = 0; j < visible; ++j) signed_inputs = signed_inputs || r.numerators[j] < 0.0f;
      if (h.masked_scores && i + 1 < n) page.explain("The masked keys (-inf) are left out of the sum; their weight is 0.");
      break;
  }
  std::vector<std::string> pieces;
  for (std::size_t j = 0; j < n; ++j)
    if (!left_out(j)) pieces.push_back(page.num(r.numerators[j]));
  page.spell("Sum: ", pieces, page.num(r.sum));
  page.explain("Divide each by the sum:");
  for (std::size_t j = 0; j < n; ++j) {
    if (left_out(j)) {
      page.line(fmt::format("{}  masked: 0", page.label(j)));
      continue;
    }
    // The Trace's weight (under renorm, before it: the masked weights); a future
    // key's softmax under renorm is not kept there, so it is normalise_row's.
    const float weight = !renorm ? h.attn_weights(i, j) : j <= i ? (*h.masked_weights)(i, j) : r.weights[j];
    const std::string a = page.num(r.numerators[j]), b = page.num(r.sum), q = page.num(weight);
    page.line(fmt::format("{}  {} / {}{}{}", page.label(j), a, b, page.equals(quotient_holds(a, b, q)), q));
  }
  if (renorm) {
    page.explain("This softmax still sees every key; the causal mask comes next.");
  } else {
    check_sum(page, row_of(h.attn_weights, i), "The weights", signed_inputs);
  }
}

void write_renormalisation(FocusPage& page, const HeadTrace& h) {
  const std::size_t i = page.i, n = page.trace.tokens.size();
  const Matrix& masked = *h.masked_weights;
  page.title(fmt::format("Causal mask  zero the weights of keys after {} (the future), renormalise", page.quoted(i)));
  if (i + 1 == n) page.explain(fmt::format("{} is the last token: nothing is zeroed.", page.quoted(i)));
  std::vector<std::string> kept;
  for (std::size_t j = 0; j < n; ++j) {
    const float w = masked(i, j);
    page.line(fmt::format("{}  {}   {}", page.label(j), page.num(w), j > i ? "in the future: zeroed" : "kept"));
    if (j <= i) kept.push_back(page.num(w));
  }
  // The sum the engine divided by (renormalise_causal's).
  const float sum = kept_weight_sum(masked.row(i), i);
  page.spell("New row sum: ", kept, page.num(sum));
  page.explain("Divide each kept weight by it, so that the row sums to 1 again:");
  for (std::size_t j = 0; j <= i; ++j) {
    const std::string a = page.num(masked(i, j)), b = page.num(sum), q = page.num(h.attn_weights(i, j));
    page.line(fmt::format("{}  {} / {}{}{}", page.label(j), a, b, page.equals(quotient_holds(a, b, q)), q));
  }
  for (std::size_t j = i + 1; j < n; ++j) page.line(fmt::format("{}  {}", page.label(j), page.num(h.attn_weights(i, j))));
  check_sum(page, row_of(h.attn_weights, i), "The weights", false);
}

}  // namespace attn
