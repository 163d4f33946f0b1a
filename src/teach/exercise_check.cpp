// Checking a learner's answer: right, one of the usual mistakes
// (exercise_mistakes.hpp), or else a nudge on what is off and how the quantity
// is computed.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "attn/teach/exercise.hpp"
#include "exercise_mistakes.hpp"
#include "exercise_printed.hpp"
#include "exercise_solve.hpp"
#include "attn/teach/answer_compare.hpp"

namespace attn {

namespace {

// "2 and 3", "1, 2 and 5".
std::string join_numbers(const std::vector<std::size_t>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += i + 1 == v.size() ? " and " : ", ";
    out += std::to_string(v[i]);
  }
  return out;
}

// Which components of a vector answer are off, or why the lengths differ. A
// component written with fewer decimals than asked that agrees as far as they
// go is not off.
std::string components_off(const Answer& given, const Answer& expected, const Precision& p, const std::string& what) {
  const std::vector<double> g = given.kind == Answer::Kind::vector ? given.vector : std::vector<double>{given.number};
  const std::size_t want = expected.vector.size();
  if (g.size() != want) {
    return fmt::format("The answer has {} number{}; {} has {}.", g.size(), g.size() == 1 ? "" : "s", what, want);
  }
  std::vector<std::size_t> off;
  bool short_ones = false;  // components right as far as their fewer decimals go
  for (std::size_t i = 0; i < want; ++i) {
    Answer one = number_answer(g[i]);
    if (i < given.decimals.size()) one.decimals = {given.decimals[i]};
    const Closeness c = closeness(one, number_answer(expected.vector[i]), p);
    if (c == Closeness::different) off.push_back(i + 1);
    short_ones = short_ones || c == Closeness::too_few_decimals;
  }
  const std::string by = widened(p)        ? fmt::format(" by more than {}", p.tolerance)
                         : p.decimals > 0 ? fmt::format(" (not right to {})", decimals_words(p.decimals))
                                          : std::string();
  if (off.size() == want) return fmt::format("Every component is off{}.", by);
  return fmt::format("Component{} {} (of {}) {} off{}; the others {}.", off.size() == 1 ? "" : "s", join_numbers(off),
                     want, off.size() == 1 ? "is" : "are", by,
                     short_ones ? fmt::format("agree as far as their decimals go (give {})", decimals_words(p.decimals))
                                : "are right");
}

// What a learner is told whose answer has fewer decimals than asked.
std::string too_few_decimals_nudge(const Exercise& ex, const Answer& given) {
  const bool several = given.kind == Answer::Kind::vector && given.vector.size() > 1;
  return fmt::format("It agrees with the answer as far as its decimals go: give {} to {} to have it checked.",
                     several ? "each number" : "the number", decimals_words(ex.decimals));
}

std::string quoted(const Trace& tr, std::size_t i) { return fmt::format("\"{}\"", tr.tokens[i]); }

std::string attends_most_nudge(const Solved& s, const Answer& given) {
  const Trace& tr = *s.trace;
  const auto& tokens = tr.tokens;
  const auto it = std::find_if(tokens.begin(), tokens.end(), [&](const std::string& x) {
    return answers_match(token_answer(x), given, 0.0);
  });
  if (it == tokens.end()) return fmt::format("\"{}\" is not a token of the sentence.", given.token);
  const std::size_t j = static_cast<std::size_t>(it - tokens.begin());
  return fmt::format("{} gets {} in the row of weights of {}: look for the key with the largest weight.", quoted(tr, j),
                     shown(tr.heads[s.head].attn_weights(s.t, j)), quoted(tr, s.t));
}

// How the row of weights is made, first saying so when `given` does not sum to 1.
std::string weights_how(const Exercise& ex, const Solved& s, const Answer& given) {
  const std::string how = Mistakes(ex, s).weights_recipe(s.t) + ".";
  double sum = 0.0;
  for (double x : given.vector) sum += x;
  if (!s.trace->heads[s.head].dropout_mask && given.kind == Answer::Kind::vector &&
      given.vector.size() == s.answer.vector.size() && std::fabs(sum - 1.0) > 0.01) {
    return fmt::format("These weights sum to {}, not 1. {}", shown(sum), how);
  }
  return how;
}

// How the query of token T is made.
std::string query_how(const HeadTrace& h, const std::string& T) {
  if (!h.W_query) return "Without trainable weights the query is the embedding itself.";
  return fmt::format("Multiply the embedding of {} by W_query{}: component c is x · (column c of W_query).", T,
                     h.b_query ? " and add b_query" : "");
}

// How the output of token T is made.
std::string output_how(const Trace& tr, const std::string& T) {
  if (!tr.out_proj) return fmt::format("The output of {} is its heads' context vectors side by side.", T);
  return fmt::format("Put the heads' context vectors of {} side by side, then multiply by out_proj's weight and add its "
                     "bias.",
                     T);
}

// How the parameters of the exercise's module add up: only the parts it has.
std::string count_how(const Ask& a) {
  const std::string bias = a.qkv_bias ? ", each with a bias of d_out numbers" : "";
  if (a.multihead == Multihead::split) {
    return fmt::format("Count W_query, W_key and W_value, one d_in × d_out matrix each{} that the {} heads share, then "
                       "out_proj: d_out × d_out weights and a bias of d_out.",
                       bias, a.heads);
  }
  if (a.heads == 1) {
    return fmt::format("Count the entries of W_query, W_key and W_value, d_in × d_out numbers each{}: that is all "
                       "{} has.",
                       bias, a.qkv_bias ? "the module" : "SelfAttention_v1");
  }
  return fmt::format("Count W_query, W_key and W_value, d_in × d_out numbers each{}, for each of the {} heads: the "
                     "wrapper has no out_proj.",
                     bias, a.heads);
}

// When no usual mistake matches: what is off (for vectors) and how the quantity is made.
std::string generic_nudge(const Exercise& ex, const Solved& s, const Answer& given) {
  const std::string T = s.trace ? quoted(*s.trace, s.t) : std::string();
  const std::string K = s.trace ? quoted(*s.trace, s.k) : std::string();
  // A vector's nudge: which components are off in `what`, then `how` it is made.
  auto off = [&](const std::string& what, const std::string& how) {
    return components_off(given, s.answer, precision_of(ex), what) + " " + how;
  };
  switch (ex.ask.quantity) {
    case Quantity::parameter_count: return count_how(ex.ask);
    case Quantity::dropout_scale:
      return "Dropout keeps each weight with probability 1 − p and scales the kept ones so that the expected sum stays the "
             "same.";
    case Quantity::score:
      return fmt::format("ω({}, {}) is the dot product of the query of {} with the key of {}: multiply them component by "
                         "component and add the products.",
                         T, K, T, K);
    case Quantity::scaled_score:
      return fmt::format("Compute the score ω({}, {}) = q·k first, then divide it by √d_k.", T, K);
    case Quantity::weight:
      return fmt::format("{}; then read the column of {}.", Mistakes(ex, s).weights_recipe(s.t), K);
    case Quantity::scale_divisor:
      return "The scores are divided by the square root of d_k, the width of one head's keys (the columns of W_key).";
    case Quantity::output_shape: return "One row per token, one column per dimension of the output.";
    case Quantity::attends_most: return attends_most_nudge(s, given);
    case Quantity::scores:
      return off(fmt::format("the row of scores of {}", T),
                 fmt::format("Entry j is the query of {} dotted with the key of token j.", T));
    case Quantity::weights: return off(fmt::format("the row of weights of {}", T), weights_how(ex, s, given));
    case Quantity::context:
      return off(fmt::format("the context vector of {}", T),
                 fmt::format("Weigh each value vector v(j) by the weight of {} for token j and add them up: "
                             "z = Σ_j α(i,j) v(j).",
                             T));
    case Quantity::query: return off(fmt::format("the query of {}", T), query_how(s.trace->heads[s.head], T));
    case Quantity::output: return off(fmt::format("the output of {}", T), output_how(*s.trace, T));
  }
  return {};  // not reached: every Quantity is above
}

// Whether every number of `given` is within one unit of the last decimal asked
// (and the half unit of rounding) of the answer or of one worked from the page:
// a slip in the rounding, not in the method. Only for answers with decimals.
bool one_unit_off(const Answer& given, const std::vector<Answer>& accepted, const Precision& p) {
  if (p.decimals <= 0 || given.kind == Answer::Kind::token) return false;
  const Precision wide{p.decimals, 1.5 * std::pow(10.0, -p.decimals)};
  return std::any_of(accepted.begin(), accepted.end(), [&](const Answer& a) {
    const Closeness c = closeness(given, a, wide);
    return c == Closeness::printed || c == Closeness::within_tolerance;
  });
}

std::string rounding_nudge(const Exercise& ex) {
  return fmt::format("close: check your rounding. It is one unit of the last decimal off: carry the tables' numbers "
                     "through the arithmetic and round only the result, to {}.",
                     decimals_words(ex.decimals));
}

// An answer to "which token" written as a position ("5"), as --focus takes it:
// the token there, when no token of the sentence is spelled that way; else nothing.
std::optional<std::size_t> position_given(const Exercise& ex, const Solved& s, const Answer& given) {
  if (ex.ask.quantity != Quantity::attends_most || !s.trace || given.token.empty() ||
      given.token.find_first_not_of("0123456789") != std::string::npos || given.token.size() > 6) {
    return std::nullopt;
  }
  const auto& tokens = s.trace->tokens;
  const bool a_token = std::any_of(tokens.begin(), tokens.end(),
                                   [&](const std::string& x) { return answers_match(token_answer(x), given, 0.0); });
  const std::size_t pos = std::stoul(given.token);
  if (a_token || pos < 1 || pos > tokens.size()) return std::nullopt;
  return pos - 1;
}

}  // namespace

std::vector<Mistake> mistakes_of(const Exercise& exercise) {
  const Solved s = solve_run(exercise);
  return Mistakes(exercise, s).list();
}

Verdict check(const Exercise& exercise, const Answer& given) {
  const Solved s = solve_run(exercise);
  const Precision p = precision_of(exercise);
  // A position for a token (--focus takes both): judged as the token at that
  // position. What the exercise checks is reading the row, not spelling the
  // word; a teacher who is pointed at the right token accepts it, and says which
  // token it is. A position that names a token of the sentence ("5" in a
  // sentence with the token 5) is read as that token, as --focus does.
  if (const std::optional<std::size_t> at = position_given(exercise, s, given)) {
    const std::string& token = s.trace->tokens[*at];
    Verdict v = check(exercise, token_answer(token));
    v.note = fmt::format("token {} is \"{}\"", *at + 1, token);
    if (!v.correct) v.nudge = fmt::format("{} is a position: token {} is \"{}\". {}", given.token, *at + 1, token, v.nudge);
    return v;
  }
  Verdict v;
  v.expected = s.answer;
  const Closeness to_answer = closeness(given, s.answer, p);
  if (to_answer == Closeness::printed) {
    v.correct = true;
    return v;
  }
  // Worked from the page's rounded numbers (exercise_printed.hpp), the answer may
  // differ in its last decimal: that is right too.
  std::vector<Answer> accepted = printed_answers(exercise, s);
  for (const Answer& a : accepted) {
    if (closeness(given, a, p) == Closeness::printed) {
      v.correct = true;
      return v;
    }
  }
  accepted.push_back(s.answer);
  std::vector<Mistake> mistakes = Mistakes(exercise, s).list();
  auto named = [&](Closeness wanted) {
    for (Mistake& m : mistakes) {
      if (closeness(given, m.value, p) == wanted) {
        v.mistake = std::move(m.name);
        v.nudge = std::move(m.nudge);
        return true;
      }
    }
    return false;
  };
  if (named(Closeness::printed)) return v;
  if (to_answer == Closeness::within_tolerance) {
    v.correct = true;
    return v;
  }
  if (to_answer == Closeness::too_few_decimals) {
    v.too_few_decimals = true;
    v.nudge = too_few_decimals_nudge(exercise, given);
    return v;
  }
  if (named(Closeness::within_tolerance)) return v;
  if (one_unit_off(given, accepted, p)) {
    v.mistake = "rounding";
    v.nudge = rounding_nudge(exercise);
    return v;
  }
  v.nudge = generic_nudge(exercise, s, given);
  return v;
}

}  // namespace attn
