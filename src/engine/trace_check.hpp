// trace_check.hpp: what a trace read back must agree with, beyond its shapes.
//
// trace_read.cpp checks that every matrix has the shape its config makes. A
// trace edited by hand (or by a broken tool) can still contradict itself with
// the right shapes: a model of 7 heads beside 4, a scale of 0, a probability of
// 2. check_trace() refuses what the engine can never write, and nothing it can:
//   - the config's sizes agree: split heads are d_out / heads wide, the
//     wrapper's heads d_out wide, no projection keeps d_out = d_in; a model's
//     n_head is config.heads and its n_embd is d_in and d_out;
//   - each head's scale is √head_dim with config.scale, 1 without;
//   - the causal mask's -inf (null) fills masked_scores above the diagonal; a
//     dropout mask holds only 0 and 1;
//   - weights (attention weights, masked weights, every layer's weights) and
//     next-token probabilities lie in [0, 1] or are null (a value that was not
//     finite), except with --softmax sum, whose weights are any number;
//   - a row of stable-softmax weights (the default, and every model) sums to 1
//     within float32 rounding, once all its values are finite. Only that
//     softmax promises it: the naive one's sum can overflow to inf (every
//     weight then 0), and the causal renorm's masked weights sum to less.
//     Dropout changes the dropped weights, which are not checked.
// Each refusal is a DataError of one line naming the file and the key
// ("t.json: heads[2].scale is 0, expected 2 (config.scale is true, head_dim 4)").
#pragma once

#include <string>

#include "attn/trace.hpp"

namespace attn {

// The sizes alone (the first rule above), before the matrices are read:
// a contradiction there would otherwise read as a matrix of the wrong shape.
// REQUIRES: t.settings, t.tokens and t.model read.
void check_trace_sizes(const Trace& t, const std::string& source);

// The values (the other rules).
// REQUIRES: `t` as parse_trace() builds it (the shapes already checked).
void check_trace(const Trace& t, const std::string& source);

}  // namespace attn
