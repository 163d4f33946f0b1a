// render_html_arithmetic.hpp: what the popup of a score or weight cell says,
// decided here so that the page's script only displays it.
//
// A popup spells a cell's arithmetic as the focus view does (render_focus.hpp):
// the dot product term by term, the scaling, the exponential, the row's sum,
// the division, the renormalisation, the dropout. Whether each line says "="
// or "≈" is printed_arithmetic's verdict on the printed digits, and long sums
// are shortened as the focus view shortens them (focus_page.hpp). The script
// (data/html/report.js) puts these parts together with the page's numbers and
// computes nothing.
//
// Writes, for head H (0-based) of a run, beside the numbers of
// render_html_data.hpp:
//   "hH.qf", "hH.kf"  n × m: the factors of the queries and keys a score's sum
//                     shows (focus_page's factor_text()), the shown components
//                     only, "…" where the sum is shortened;
//   "hH.dp"           n × n, with dropout: the product "α×mask×1/(1 − p)" as factors;
//   and under the run's "t": "hH.tn", the term count after a score's sum
//   ("  (768 terms)" or ""); "hH.sum", each row's sum line, whole; "hH.sr",
//   one character a row, "1" where the row's sum says "≈"; "hH.f", one
//   base-32 digit a cell (row after row), the sum of its CellFlags.
#pragma once

#include <functional>

#include "attn/softmax.hpp"

#include <cstddef>
#include <vector>

#include "attn/matrix.hpp"
#include "attn/trace.hpp"
#include "render_html_data.hpp"

namespace attn {

// The flags of a cell: the lines of its popup that say "≈".
enum CellFlag : unsigned {
  kScoreRounded = 1,     // ω = Σ q×k
  kScaledRounded = 2,    // ω / √d_k
  kDivisionRounded = 4,  // numerator / sum
  kRenormRounded = 8,    // masked weight / kept sum
  kDropoutRounded = 16,  // α × mask × 1/(1 − p)
};

// The row normalisations of a head as the engine made them (normalise_row()).
struct HeadNormalisation {
  std::function<RowNormalisation(std::size_t)> row;  // row i's normalisation (made on demand: n × n is large)
  const std::vector<float>& sums;  // one a row
  const std::vector<float>* kept;  // under --causal-method renorm: each row's kept_weight_sum(); else null
};

// REQUIRES: run is a run of `numbers` made from `trace`; head < trace.heads.size().
void add_cell_arithmetic(HtmlNumbers& numbers, std::size_t run, const Trace& trace, std::size_t head,
                         const HeadNormalisation& norm, int precision);

}  // namespace attn
