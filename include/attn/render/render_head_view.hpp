// render_head_view.hpp: every head of a run in one picture, one colour each (bertviz's head view).
//
// The tokens are written twice, as queries on the left and keys on the right; each
// head draws a line from each query to each key in its own colour, its opacity the
// weight over the largest weight of that head (lighter than 1% of it: not drawn).
// The head's legend entries above the picture carry data-head, and each head's lines
// are a group with the same data-head, so a page can show or hide a head (the
// explorer of `attn-explain serve` does on click); without a script every head shows.
//
// Promises: a standalone SVG document (it opens alone in a browser); head h's lines
// are in <g class="head" data-head="h"> (h from 0), one <path> per line drawn, with
// stroke-opacity the weight / the head's largest weight in two decimals; the colours
// are those of kHeadColours, in order, again from the first after the tenth head.
#pragma once

#include <string>

#include "attn/trace.hpp"

namespace attn {

// Ten colours that tell heads apart (Tableau 10).
inline constexpr const char* kHeadColours[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                                "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

// REQUIRES: the trace has at least one head.
std::string render_head_view(const Trace& trace);

}  // namespace attn
