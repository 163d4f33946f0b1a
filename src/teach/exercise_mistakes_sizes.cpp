// The usual mistakes with the sizes and constants of a model: scale_divisor
// (√d_k), output_shape, dropout_scale (1 / (1 − p)) and parameter_count.
#include "exercise_mistakes.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "attn/parameter_count.hpp"

namespace attn {

void Mistakes::scale_divisor() {
  const HeadTrace& h = head();
  if (st().scale) {
    Answer dk = whole_answer(d_k());
    add("no square root", fmt::format("That is d_k = {} itself: the divisor is its square root.", d_k()), dk);
    add("reciprocal", "That is 1/√d_k, what the scores are multiplied by: the question asks for the divisor √d_k.",
        number_answer(1.0f / h.scale_divisor));
    if (st().multihead == Multihead::split && st().heads > 1) {
      add("√d_out instead of √d_k",
          fmt::format("That is √d_out, the width of all {} heads together: each head divides by the square root of its "
                      "own keys' width, d_out / heads.",
                      st().heads),
          number_answer(std::sqrt(static_cast<float>(st().d_out))));
    }
    add("√d_in instead of √d_k",
        "That is √d_in, from the embeddings' width: d_k is the width of the keys, the columns of W_key.",
        number_answer(std::sqrt(static_cast<float>(st().d_in))));
  } else {
    add("scaled",
        "That is √d_k, but this run does not scale its scores (--no-scale): the divisor is 1.",
        number_answer(divisor()));
  }
}

void Mistakes::output_shape() {
  const Matrix& out = tr().output;
  add("transposed", "That is columns × rows: the output has one row per token.", shape_answer(out.cols, out.rows));
  // The punctuation left out of the count of rows: "9x8" for a sentence of ten tokens, one a full stop.
  std::vector<std::string> marks;
  for (const std::string& token : tr().tokens) {
    if (std::none_of(token.begin(), token.end(), [](unsigned char c) { return std::isalnum(c) || c >= 0x80; })) {
      marks.push_back(fmt::format("\"{}\"", token));
    }
  }
  if (!marks.empty() && marks.size() < out.rows) {
    add("punctuation left out",
        fmt::format("That counts the words only: {} {} a token too, with its own row of output.",
                    fmt::join(marks, ", "), marks.size() == 1 ? "is" : "are"),
        shape_answer(out.rows - marks.size(), out.cols));
  }
  if (tr().heads.size() > 1) {
    add("per-head width",
        st().multihead == Multihead::split
            ? "That is one head's width: the heads' columns are joined side by side, and out_proj keeps that width, "
              "d_out."
            : "That is one head's width: the output puts every head's columns side by side.",
        shape_answer(out.rows, d_k()));
  }
  add("input width", "That is the shape of the inputs X: the output's width is set by the projections, not by d_in.",
      shape_answer(out.rows, st().d_in));
  add("weights' shape", "That is the shape of the attention weights (n × n): the output has one column per output dimension.",
      shape_answer(n(), n()));
}

void Mistakes::dropout_scale() {
  const double p = ex_.settings.request.dropout;
  add("p itself", "That is p, the probability of dropping a weight: the kept weights are scaled by 1 / (1 − p).",
      number_answer(p));
  add("1 − p",
      "That is 1 − p, the probability of keeping a weight: the kept weights are divided by it, i.e. multiplied by 1 / (1 − p).",
      number_answer(1.0 - p));
  if (p > 0.0) {
    add("1/p", "That is 1/p: divide by the probability of keeping, 1 − p, not by the probability of dropping.",
        number_answer(1.0 / p));
  }
}

void Mistakes::parameter_count() {
  const Ask& a = ex_.ask;
  const Multihead m = a.multihead;
  const bool split = m == Multihead::split;
  const std::uint64_t total = count_parameters(a.d_in, a.d_out, a.heads, m, a.qkv_bias).total;
  const std::uint64_t out_proj = a.d_out * a.d_out + a.d_out;
  if (split || a.qkv_bias) {
    const std::uint64_t no_bias = count_parameters(a.d_in, a.d_out, a.heads, m, false).total - (split ? a.d_out : 0);
    add("without biases",
        fmt::format("That leaves out the biases: {}.",
                    split && a.qkv_bias ? "out_proj has one of d_out numbers, and so have W_query, W_key and W_value"
                    : split             ? "out_proj (an nn.Linear) has a bias of d_out numbers"
                                        : "each nn.Linear with qkv_bias has a bias of d_out numbers"),
        whole_answer(no_bias));
  }
  if (split) {
    add("without out_proj",
        "That leaves out out_proj, the d_out × d_out output projection (with its bias) that MultiHeadAttention applies "
        "after the heads.",
        whole_answer(total - out_proj));
    if (a.heads > 1) {
      add("heads × full width",
          "That gives every head its own d_in × d_out matrices: MultiHeadAttention makes one d_in × d_out projection "
          "each for queries, keys and values, and splits its columns among the heads.",
          whole_answer(count_parameters(a.d_in, a.d_out, a.heads, Multihead::wrapper, a.qkv_bias).total + out_proj));
    }
  } else if (a.heads > 1) {
    add("one head only",
        fmt::format("That is one head: the wrapper has {} heads, each with its own W_query, W_key and W_value.", a.heads),
        whole_answer(count_parameters(a.d_in, a.d_out, 1, m, a.qkv_bias).total));
  }
  const std::string module = !split && a.heads == 1 && !a.qkv_bias ? "SelfAttention_v1" : "this module";
  const std::uint64_t biased = count_parameters(a.d_in, a.d_out, a.heads, m, true).total;
  // Two slips can give one count (SelfAttention_v1 with d_out 2: out_proj and
  // three biases both add 6): the nudge then names both.
  if (!split && !a.qkv_bias && total + out_proj == biased) {
    add("with out_proj or qkv biases",
        fmt::format("That counts what {} does not have: out_proj, MultiHeadAttention's d_out × d_out output projection "
                    "with its bias, or a bias for each of W_query, W_key and W_value (qkv_bias is off). Both add {}.",
                    module, out_proj),
        whole_answer(biased));
  }
  if (!split) {
    add("with out_proj",
        fmt::format("That counts out_proj, MultiHeadAttention's d_out × d_out output projection with its bias: {} "
                    "has none.",
                    module),
        whole_answer(total + out_proj));
  }
  if (!a.qkv_bias) {
    add("with qkv biases",
        "That counts a bias for each of W_query, W_key and W_value, but qkv_bias is off: nn.Linear(d_in, d_out, "
        "bias=False).",
        whole_answer(biased));
  }
}

}  // namespace attn
