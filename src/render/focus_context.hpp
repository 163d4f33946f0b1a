// focus_context.hpp: the last steps of the focus walkthrough, from token i's
// weights to what it outputs.
//
// write_dropout() shows the dropout mask of row i and the survivors times
// 1/(1 − p); write_context() spells each component of the context vector
// z(i) = Σ_j α(i,j) v(j) as a weighted sum; write_bars() draws the row's
// weights as bars and names, in one sentence, the tokens i attends to most;
// write_after_heads() shows row i of the heads' concatenation and, for split
// heads, of the output after out_proj.
//
// Promises: the weights, mask, context vectors, concatenation and output are
// the Trace's; only 1/(1 − p), the products of each sum and the row sum after
// dropout are computed, for display. A bar is kBarWidth columns for weight 1,
// drawn in eighths of a column; non-finite weights get no bar.
#pragma once

#include <cstddef>

#include "attn/trace.hpp"
#include "focus_page.hpp"

namespace attn {

// Columns of a bar for weight 1.
inline constexpr std::size_t kBarWidth = 30;

// Each of these: REQUIRES h is one of page.trace.heads.

// Dropout on row page.i. REQUIRES: h.dropped_weights and h.dropout_mask.
void write_dropout(FocusPage& page, const HeadTrace& h);

// The context vector of row page.i, component by component.
void write_context(FocusPage& page, const HeadTrace& h);

// Row page.i's weights (before dropout) as bars, largest in bold, then one
// sentence on where the token looks.
void write_bars(FocusPage& page, const HeadTrace& h);

// After every head: row page.i of the concatenation (several heads) and of
// the output (split heads); nothing for a single head.
void write_after_heads(FocusPage& page);

}  // namespace attn
