// render_html_grid.hpp: `--model DIR --layer all --html FILE`: every head of every layer on one page.
//
// A grid of small heatmaps, one row per layer and one column per head (as
// bertviz's model view lays them out), each a head's attention weights (query
// rows, key columns, the causal triangle), captioned with its pattern
// (head_patterns.hpp: "prev 92%"). Pointing at a cell shows its weight, as on
// every page. Like the report, the page is one self-contained file.
#pragma once

#include <string>

#include "attn/trace.hpp"
#include "attn/render/render_html.hpp"

namespace attn {

// REQUIRES: trace.model, and trace.layer_weights holds n_layer × n_head matrices.
std::string render_html_model_grid(const Trace& trace, const HtmlOptions& options, const HtmlAssets& assets);

}  // namespace attn
