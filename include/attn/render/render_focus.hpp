// render_focus.hpp: one query token's arithmetic, spelled out number by number
// (--focus TOKEN|INDEX).
//
// Where the tables show whole matrices, render_focus() follows a single row,
// the way the tutorials work "journey" (the book's x(2)) through by hand. For
// that token and each head (under a "head h of H" banner when there are
// several) it prints, in order:
//   the query: q = x(i) without weights, else q = x(i) · W_query (+ b_query),
//     each component as the dot product of x(i) with a column of W_query;
//   every score as a dot product, term by term:
//     ω(2,1) = q("journey")·k("Your") = 0.55×0.43 + 0.87×0.15 + 0.66×0.89 = 0.9544
//   the scaling ω / √d_k; the causal mask (which keys are in the future);
//   the normalisation (stable softmax: minus the row max, each exp, their sum,
//     each division; naive softmax; or division by the row sum) and a check
//     that the weights sum to 1;
//   dropout: the mask row, the survivors times 1/(1 - p);
//   the context vector z = Σ_j α(i,j) v(j), each component as a weighted sum;
//   the row's weights as a bar chart and one sentence naming the tokens it
//     attends to most;
// and after the heads, the token's row of the concatenation and, for split
// heads, of the output after out_proj.
//
// Promises:
//   - It only reads the Trace. Every quantity the Trace holds (queries, scores,
//     scaled and masked scores, weights, dropout mask, context vectors, ...) is
//     printed from it, never recomputed. The softmax's intermediate numbers
//     (the row max, each exp, their sum) are those of the engine's
//     normalise_row() on the row it normalised; only the products of a sum,
//     a few sums of displayed weights and 1/(1 - p) are computed, in float32,
//     for display. It computes no exp.
//   - Every number goes through format_number(): `precision` decimals, never
//     "-0.0000", non-finite values as inf / -inf / nan (which never crash it).
//     Factors inside a spelled-out sum drop trailing zeros (0.55×0.43).
//   - A sum of more than 8 terms shows the first 3, "…", the last, and says how
//     many terms there are; so does a vector of more than 8 components.
//   - Lines stay within 100 terminal columns where practical (long sums wrap);
//     token labels are aligned in terminal columns, whatever the script.
//   - With color off the text holds no escape code.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "attn/trace.hpp"
#include "attn/token_lookup.hpp"  // find_focus: the row --focus names

namespace attn {

struct FocusOptions {
  int precision = 4;   // REQUIRES: 0 ≤ precision ≤ 9
  bool color = false;  // bold titles and the largest bar, dim notes
  std::optional<std::size_t> head;  // --head: only this head's arithmetic (from 0); nothing: every head's
  bool block = true;   // a model run: then the rest of its block (ln_1, the residual, ln_2, the MLP); the
                       // lessons and exercises, which are about the attention, leave it out
};


// The focus walkthrough for token `row`, as described above, ending in "\n".
// REQUIRES: row < trace.tokens.size(), and a Trace as explore() fills it
// (trace.hpp's shapes; at least one head).
std::string render_focus(const Trace& trace, std::size_t row, const FocusOptions& options);

}  // namespace attn
