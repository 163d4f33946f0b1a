// render_table.hpp: the Trace as the labelled tables a learner reads.
//
// render_walkthrough() prints a header (sentence, tokens, table, projection,
// seed, scaling) and then each stage of the trace as an aligned table whose
// title carries the stage's formula, in the tutorials' order: embeddings X,
// the weight matrices, Q, K, V, scores ω = Q·Kᵀ, scaled scores ω/√d_k,
// weights α = softmax(...), context vectors z = α·V. Token names label the
// rows (and the columns of n × n matrices); d0 d1 … label dimensions.
// Numbers are shown to `precision` decimals; columns line up in terminal
// columns, whatever script the tokens are written in. It only reads the Trace.
#pragma once

#include <string>
#include <vector>

#include "attn/matrix.hpp"
#include "attn/parameters.hpp"
#include "attn/trace.hpp"

namespace attn {

struct RenderOptions {
  int precision = 4;  // REQUIRES: 0 ≤ precision ≤ 9
};

std::string render_walkthrough(const Trace& trace, const RenderOptions& options);

// One matrix as an aligned table. REQUIRES: row_labels.size() == m.rows,
// col_labels.size() == m.cols.
std::string render_matrix(const Matrix& m, const std::vector<std::string>& row_labels,
                          const std::vector<std::string>& col_labels, int precision);

// The parameter count of `attn-explain params`, one part a line, then the total.
std::string render_parameter_count(const ParameterCount& count, std::uint64_t d_in, std::uint64_t d_out,
                                   std::uint64_t heads, Multihead multihead);

// A value at `precision` decimals, never "-0.0000"; non-finite as "nan"/"inf"/"-inf".
std::string format_number(float value, int precision);

}  // namespace attn
