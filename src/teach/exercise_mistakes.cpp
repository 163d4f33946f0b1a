// The machinery every kind of mistake uses: the list and its rule against
// duplicates, re-running the exercise with one setting changed, and the
// pieces of attention recomputed for a variant.
#include "exercise_mistakes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/softmax.hpp"
#include "attn/teach/answer_compare.hpp"

namespace attn {

std::string shown(double x) { return fmt::format("{:.4f}", x); }

namespace {

bool finite(const Answer& a) {
  if (a.kind == Answer::Kind::number) return std::isfinite(a.number);
  if (a.kind == Answer::Kind::vector)
    return !a.vector.empty() && std::all_of(a.vector.begin(), a.vector.end(), [](double x) { return std::isfinite(x); });
  return !a.token.empty();
}

}  // namespace

std::vector<Mistake> Mistakes::list() {
  // A trained model's run: its likely slips are not the chapter's (no table to rerun with
  // other settings), so a wrong answer gets the plain verdict and the hints.
  if (s_.trace && s_.trace->model) return {};
  switch (ex_.ask.quantity) {
    case Quantity::score: score(); break;
    case Quantity::scores: scores(); break;
    case Quantity::scaled_score: scaled_score(); break;
    case Quantity::weight:
    case Quantity::weights: weights(); break;
    case Quantity::context: context(); break;
    case Quantity::query: query(); break;
    case Quantity::output: output(); break;
    case Quantity::attends_most: attends_most(); break;
    case Quantity::scale_divisor: scale_divisor(); break;
    case Quantity::output_shape: output_shape(); break;
    case Quantity::dropout_scale: dropout_scale(); break;
    case Quantity::parameter_count: parameter_count(); break;
  }
  return std::move(list_);
}

// A variant counts only when finite and, to the decimals asked, different from
// the answer and from every earlier variant: each value then explains exactly
// one mistake (check() puts a printed match with a variant before a match
// within a widened tolerance of the answer).
void Mistakes::add(std::string name, std::string nudge, Answer value) {
  const Precision p = precision_of(ex_);
  if (!finite(value) || closeness(value, s_.answer, p) == Closeness::printed) return;
  for (const Mistake& m : list_)
    if (closeness(value, m.value, p) == Closeness::printed) return;
  list_.push_back(Mistake{std::move(name), std::move(nudge), std::move(value)});
}

// A token by its text, with its position when the text occurs more than once.
std::string Mistakes::tok(std::size_t i) const {
  const std::string& text = tr().tokens[i];
  const auto same = std::count(tr().tokens.begin(), tr().tokens.end(), text);
  return same > 1 ? fmt::format("\"{}\" (token {})", text, i + 1) : fmt::format("\"{}\"", text);
}

// The exercise's run with one setting changed; nullopt when the engine refuses it.
std::optional<Trace> Mistakes::rerun(const std::function<void(Request&)>& change) const {
  if (!s_.table) return std::nullopt;  // a model's run
  Request r = ex_.settings.request;
  change(r);
  try {
    return explore(r, *s_.table);
  } catch (const Error&) {
    return std::nullopt;
  }
}

void Mistakes::add_rerun(const std::string& name, const std::string& nudge, const std::function<void(Request&)>& change) {
  if (const auto other = rerun(change)) add(name, nudge, read_quantity(ex_.ask, *other, t(), k()));
}

Stage Mistakes::start() const {
  Stage latest = Stage::inputs;
  for (Stage s : ex_.show) latest = std::max(latest, s);
  return latest;
}

// The quantity made from row t() of weights `w` (after the mask and any
// dropout), for the quantities the weights make; nullopt for the others.
std::optional<Answer> Mistakes::from_weights_row(const std::vector<float>& w) const {
  switch (ex_.ask.quantity) {
    case Quantity::weight: return number_answer(w.at(k()));
    case Quantity::weights: return vector_answer(w);
    case Quantity::context: return vector_answer(weighted_sum(w, head().values));
    case Quantity::attends_most: return token_answer(tr().tokens[argmax(w)]);
    default: return std::nullopt;
  }
}

// The scores shown already scaled, divided by √d_k once more: the raw scores
// divided by d_k, but a different slip, with its own nudge.
void Mistakes::scaled_twice() {
  std::vector<float> s = row_of(head().scaled_scores, t());
  for (float& x : s) x /= head().scale_divisor;
  if (const auto value = from_weights_row(weights_from(s, t()))) {
    add("scaled twice",
        fmt::format("That is what you get dividing the scores by √d_k = {} a second time: the table's scores are "
                    "already scaled, so {} them as they are.",
                    shown(head().scale_divisor), normalise_verb()),
        *value);
  }
}

// The same quantity for the run with the scaling, the mask or the
// normalisation done wrong: the mistakes of everything after the scores that
// the exercise leaves to the learner.
void Mistakes::pipeline_reruns() {
  const Request& r = ex_.settings.request;
  if (!learner_normalises()) return;  // the weights are in the tables
  if (!learner_scales()) {
    if (r.scale) scaled_twice();
  } else if (r.scale) {
    add_rerun("unscaled",
              fmt::format("That is what you get without dividing the scores by √d_k = {}: divide each score by √d_k "
                          "before normalising.",
                          shown(divisor())),
              [](Request& q) { q.scale = false; });
  } else {
    add_rerun("scaled",
              fmt::format("That is what you get dividing the scores by √d_k = {}, but this run does not scale them "
                          "(--no-scale): normalise the raw scores.",
                          shown(divisor())),
              [](Request& q) { q.scale = true; });
  }
  if (r.causal && learner_masks()) {
    add_rerun("no causal mask",
              fmt::format("That is what you get without the causal mask: {} may only look at itself and the tokens "
                          "before it, so mask the later ones.",
                          tok(t())),
              [](Request& q) { q.causal = false; });
  }
  if (r.softmax != Softmax::sum) {
    add_rerun("sum instead of softmax",
              "That is what you get dividing each score by the row's sum: the softmax divides exp(score) by the sum "
              "of the exps.",
              [](Request& q) { q.softmax = Softmax::sum; });
  } else {
    add_rerun("softmax instead of sum",
              "That is what you get with a softmax, but this run normalises by the plain sum (--softmax sum): divide "
              "each score by the row's sum.",
              [](Request& q) { q.softmax = Softmax::stable; });
  }
}

void Mistakes::wrong_rows(const Matrix& m, const std::string& what) {
  for (std::size_t j = 0; j < n(); ++j) {
    if (j == t()) continue;
    add("wrong row", fmt::format("That is the row of {}: the {} of {} are the row of {}.", tok(j), what, tok(t()), tok(t())),
        vector_answer(row_of(m, j)));
  }
}

void Mistakes::wrong_rows_vector(const Matrix& m, const std::string& what) {
  for (std::size_t j = 0; j < n(); ++j) {
    if (j == t()) continue;
    add("wrong row", fmt::format("That is the {} of {}: take the row of {}.", what, tok(j), tok(t())), vector_answer(row_of(m, j)));
  }
}

// Row i of weights from a row of (scaled) scores, the way attend_head() goes on
// from there, with its functions: mask, normalise, renormalise, dropout. For
// variants only.
std::vector<float> Mistakes::weights_from(const std::vector<float>& scores, std::size_t i) const {
  const std::size_t count = scores.size();
  const bool inf_mask = st().causal && st().causal_method == CausalMethod::inf;
  std::vector<float> masked = scores;
  if (inf_mask)
    for (std::size_t j = i + 1; j < count; ++j) masked[j] = -std::numeric_limits<float>::infinity();
  std::vector<float> w = normalise_row(masked, st().softmax, inf_mask ? i + 1 : count).weights;
  if (st().causal && st().causal_method == CausalMethod::renorm) w = renormalise_causal(std::move(w), i);
  if (head().dropout_mask) {
    const float keep = dropout_scale_of(st().dropout);
    for (std::size_t j = 0; j < count; ++j) w[j] = w[j] * ((*head().dropout_mask)(i, j) * keep);
  }
  return w;
}

// Σ_j w[j] · rows[j]: a weighted sum of rows (of V or of X), in float32.
std::vector<float> Mistakes::weighted_sum(const std::vector<float>& w, const Matrix& rows) {
  std::vector<float> z(rows.cols, 0.0f);
  for (std::size_t j = 0; j < w.size(); ++j)
    for (std::size_t c = 0; c < rows.cols; ++c) z[c] += w[j] * rows(j, c);
  return z;
}

float Mistakes::dot(const Matrix& a, std::size_t i, const Matrix& b, std::size_t j) {
  float sum = 0.0f;
  for (std::size_t c = 0; c < a.cols; ++c) sum += a(i, c) * b(j, c);
  return sum;
}

// How this run turns a row of scores into weights, as a verb for the nudges.
const char* Mistakes::normalise_verb() const {
  return st().softmax == Softmax::sum ? "divide by the sum of" : "apply the softmax to";
}

// x(i)·x(j) for every j: the scores of attention without trainable weights.
std::vector<float> Mistakes::embedding_scores(std::size_t i) const {
  std::vector<float> s(n());
  for (std::size_t j = 0; j < n(); ++j) s[j] = dot(tr().inputs, i, tr().inputs, j);
  return s;
}

// The kept weights of row i without the 1/(1 - p) factor.
std::vector<float> Mistakes::unscaled_dropout_row(std::size_t i) const {
  std::vector<float> w = row_of(head().attn_weights, i);
  for (std::size_t j = 0; j < w.size(); ++j) w[j] *= (*head().dropout_mask)(i, j);
  return w;
}

std::string Mistakes::steps_for(std::size_t i) const {
  std::vector<std::string> steps;
  if (st().scale && learner_scales()) steps.push_back(fmt::format("divide them by √d_k = {}", shown(head().scale_divisor)));
  if (st().causal && st().causal_method == CausalMethod::inf && learner_masks()) {
    steps.push_back("set the scores of later tokens to −∞");
  }
  steps.push_back(st().softmax == Softmax::sum ? std::string("divide each by the row's sum")
                                               : std::string("apply the softmax (exp of each, divided by their sum)"));
  if (st().causal && st().causal_method == CausalMethod::renorm) {
    steps.push_back("zero the weights of later tokens and divide by the new sum");
  }
  if (head().dropout_mask && learner_drops()) {
    steps.push_back(fmt::format("zero the weights the dropout mask drops and multiply the kept ones by 1/(1 − p) = {}",
                                shown(dropout_scale_of(st().dropout))));
  }
  (void)i;
  std::string out;
  for (std::size_t s = 0; s < steps.size(); ++s) {
    if (s > 0) out += s + 1 == steps.size() ? ", then " : ", ";
    out += steps[s];
  }
  return out;
}

std::string Mistakes::weights_recipe(std::size_t i) const {
  const char* row = start() >= Stage::mask                ? "the row of masked scores"
                    : start() >= Stage::scaled && st().scale ? "the row of scaled scores"
                                                             : "the row of scores";
  return fmt::format("Take {} of {}, {}", row, tok(i), steps_for(i));
}

}  // namespace attn
