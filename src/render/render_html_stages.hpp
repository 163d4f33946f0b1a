// render_html_stages.hpp: every stage of a run as sections of labelled
// tables, in the walkthrough's order, for the HTML page.
//
// stages_html() writes what render_sections() (render_table.hpp) prints on a
// terminal: the token embeddings X, W_query/W_key/W_value (and biases), Q, K,
// V, the scores ω, the scaled scores, the causal mask, the weights α (with the
// key each token attends to most), dropout, the context vectors z, and for
// several heads their concatenation and out_proj; numbered the same way, each
// title with its formula and shape, the --explain note beside it when asked.
//
// matrix_html() draws one matrix: a real <table> with <th> headers for its
// row and column labels, each number printed at the precision and its cell
// shaded by colour_scale (weights by weight_scale, other values by
// signed_scale), followed by the scale's legend; the largest weight of each
// row is bold and outlined (ties: every one). A matrix too large to read as
// numbers (drawn_as_table() false) is drawn as a heatmap instead.
#pragma once

#include <set>
#include <string>

#include "attn/teach/explanations.hpp"
#include "render_html_data.hpp"
#include "render_html_heatmap.hpp"
#include "attn/stage.hpp"
#include "attn/util/text_sink.hpp"

namespace attn {

// REQUIRES: matrix.m is not empty.
std::string matrix_html(HtmlRun& run, const HtmlMatrix& matrix);

// The sections of the stages in `stages` (empty: every stage the run has),
// numbered "1.", "2.", ... or, with a number_prefix such as "3" (a lesson's
// step), "3.1", "3.2", .... Each head's stages start from the same number;
// run.head: only that head's.
std::string stages_html(HtmlRun& run, const std::set<Stage>& stages, const Explanations* explain,
                        const std::string& number_prefix = "");
// The same sections, each written into `out` as soon as it is drawn.
void write_stages_html(HtmlRun& run, const std::set<Stage>& stages, const Explanations* explain,
                       const std::string& number_prefix, SinkBuffer& out);

// The focus walkthrough of token `row` as the terminal prints it (--focus), in a section;
// `block`: a model run's rest of the block too (FocusOptions::block).
// REQUIRES: row < run.trace.tokens.size().
std::string focus_html(const HtmlRun& run, std::size_t row, bool block = true);

// "How → you (0.2573)" for each token: the key(s) it attends to most in head `head`.
std::string strongest_html(const HtmlRun& run, std::size_t head);

}  // namespace attn
