// exercise_quantity.hpp: what an exercise can ask for, as a type.
//
// An exercise's "ask" names a quantity ("score", "weights", ...). The loader
// turns that name into a Quantity once (Fields::choice_of over
// kQuantityNames); everything after it (the solver, the mistakes, the nudges,
// the renderers) switches on the enum and never compares names. Promises:
//   - kQuantityNames lists every Quantity once, in the order the format's
//     messages list them;
//   - quantity_info(q) says, for every Quantity, the kind of its answer and
//     whether it takes a "token" and a "key".
#pragma once

#include <string_view>

#include "attn/teach/answer.hpp"
#include "attn/settings.hpp"

namespace attn {

// All read from head 1 when there are several:
//   score (token, key)       ω = q·k for one pair               number
//   scores (token)           the token's row of ω               vector
//   scaled_score (token,key) ω / √d_k                           number
//   weight (token, key)      one attention weight               number
//   weights (token)          the token's row of α               vector
//   context (token)          the token's context vector z       vector
//   query (token)            the token's query q                vector
//   output (token)           the token's row of the output      vector
//   attends_most (token)     the key token with the largest α   token
//   scale_divisor            √d_k                               number
//   dropout_scale            1 / (1 − p)                        number
//   output_shape             rows and columns of the output     vector [n, d]
//   parameter_count          trainable parameters (d_in, d_out, heads, multihead, qkv_bias of Ask)  number
// With dropout, weight and weights are the weights the context uses (after
// dropout: kept ones times 1/(1 − p)); attends_most looks at the weights before
// dropout. The token is the query (row), the key the column.
enum class Quantity {
  score,
  scores,
  scaled_score,
  weight,
  weights,
  context,
  query,
  output,
  attends_most,
  scale_divisor,
  dropout_scale,
  output_shape,
  parameter_count,
};

inline constexpr Named<Quantity> kQuantityNames[] = {
    {Quantity::score, "score"},
    {Quantity::scores, "scores"},
    {Quantity::scaled_score, "scaled_score"},
    {Quantity::weight, "weight"},
    {Quantity::weights, "weights"},
    {Quantity::context, "context"},
    {Quantity::query, "query"},
    {Quantity::output, "output"},
    {Quantity::attends_most, "attends_most"},
    {Quantity::scale_divisor, "scale_divisor"},
    {Quantity::dropout_scale, "dropout_scale"},
    {Quantity::output_shape, "output_shape"},
    {Quantity::parameter_count, "parameter_count"},
};

inline const char* to_string(Quantity q) { return name_of(kQuantityNames, q); }

// What a quantity's answer is, and what the "ask" must name for it.
struct QuantityInfo {
  Answer::Kind kind;
  bool token;  // takes "token" (and needs it)
  bool key;    // takes "key" (and needs it)
};

constexpr QuantityInfo quantity_info(Quantity q) {
  using Kind = Answer::Kind;
  switch (q) {
    case Quantity::score:
    case Quantity::scaled_score:
    case Quantity::weight: return {Kind::number, true, true};
    case Quantity::scores:
    case Quantity::weights:
    case Quantity::context:
    case Quantity::query:
    case Quantity::output: return {Kind::vector, true, false};
    case Quantity::attends_most: return {Kind::token, true, false};
    case Quantity::output_shape: return {Kind::vector, false, false};
    case Quantity::scale_divisor:
    case Quantity::dropout_scale:
    case Quantity::parameter_count: return {Kind::number, false, false};
  }
  return {Kind::number, false, false};  // not reached: every Quantity is above
}

// The kind of answer a quantity takes: what parse_answer() should read a
// learner's text as.
constexpr Answer::Kind answer_kind(Quantity q) { return quantity_info(q).kind; }

// The same for a quantity's name. Throws UsageError for a name not in kQuantityNames.
Answer::Kind answer_kind(std::string_view quantity_name);

}  // namespace attn
