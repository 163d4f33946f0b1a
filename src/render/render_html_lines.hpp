// render_html_lines.hpp: one head's attention weights as a line view, and
// the pictures of a run's weights (a heatmap and a line view per head).
//
// The tokens are written twice, as queries on the left and as keys on the
// right, and a line joins each query to each key; its opacity is the weight
// divided by the largest weight of the head (so the strongest line is solid),
// as bertviz's head view draws attention. Pointing at a query token (or its
// lines) dims every other query's lines, with CSS alone; the page's script
// adds selecting a token by click or by the arrow keys.
//
// Promises: the lines are in the SVG itself (no script needed to see them);
// up to kHtmlAllLines tokens every line of weight above 1% of the largest is
// drawn; beyond, each query's three strongest keys (of equal weights, the
// first keys), which the caption says, and the script draws the whole row of
// the token selected.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "render_html_data.hpp"
#include "render_html_heatmap.hpp"

namespace attn {

// REQUIRES: head < run.trace.heads.size(); selected < the number of tokens.
std::string line_view_svg(const HtmlRun& run, std::size_t head, std::optional<std::size_t> selected);

// The caption's sentence on what the lines show.
std::string line_view_caption(std::size_t tokens);

// Each head's weights as a heatmap and as a line view, head after head (a grid
// on a wide screen), with legends and captions. `selected`: a token whose row
// is selected in the line views (--focus, a lesson's focus step).
std::string pictures_html(HtmlRun& run, std::optional<std::size_t> selected);

}  // namespace attn
