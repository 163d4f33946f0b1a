// render_compare.hpp: comparisons side by side (--compare scale|softmax).
//
// The renderers read the traces of compare.hpp and print, for a learner, what
// changes when one setting changes. They compute nothing themselves: the
// summaries they quote (a row's entropy, its largest weight, its sum, the
// spread of its scores, averages of these, where exp overflows) come from the
// engine's trace_stats.hpp, and the layout from text_layout.hpp.
//
// render_scale_comparison promises:
//   - a title; then, for the learner's d_k, the weights with and without the
//     division by √d_k (token labels on the rows), each row's entropy
//     H = −Σ α ln α in nats (0 for one-hot, ln n for a uniform row) and its
//     largest weight, for both runs;
//   - the same per-row summary for the runs at d_k = kLargeDk;
//   - a table of the four runs (mean row spread of the softmax input, mean
//     entropy, mean largest weight) and a note on why scaling matters more as
//     d_k grows, quoting those numbers.
// render_softmax_comparison promises:
//   - the learner's softmax input and its weights under the sum normalisation,
//     the naive and the stable softmax, each with its row sums, and what the
//     rows show (sums of 1, weights outside [0, 1], non-finite weights, where
//     naive and stable differ);
//   - the overflow example: X, the raw scores, the scores past the float32
//     limit of exp, the three results (the naive one with "nan"), the engine's
//     warnings, and why subtracting the row maximum is exact yet safe.
// Both: numbers with format_number at `precision` decimals ("nan", "inf" for
// non-finite values); columns aligned in terminal columns for any script
// (long tokens are cut with "…"); matrices that would be wider than about 100
// columns side by side are printed one under the other. With color off there is
// no escape code in the text; with color on, weights are shaded (sequential),
// each row's largest weight bold, scores shaded (diverging), titles bold.
//
// REQUIRES: the traces come from compare_scale / compare_softmax (non-empty
// token lists, one n × n weight matrix per head; each pair of traces in a
// comparison has the same tokens); 0 ≤ options.precision ≤ 9.
#pragma once

#include <string>

#include "attn/compare.hpp"
#include "attn/teach/explanations.hpp"

namespace attn {

struct CompareOptions {
  int precision = 4;   // REQUIRES: 0 ≤ precision ≤ 9
  bool color = false;  // escape codes only when true
  // The teaching paragraphs ("paragraphs" of explain.json); nullptr: read from the data folder.
  const Explanations* prose = nullptr;
};

std::string render_scale_comparison(const ScaleComparison& c, const CompareOptions& options);
std::string render_softmax_comparison(const SoftmaxComparison& c, const CompareOptions& options);

}  // namespace attn
