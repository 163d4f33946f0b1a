// render_svg.hpp: the attention weights of a run as a standalone SVG heatmap
// (--svg FILE), for a paper or a slide.
//
// One panel per head, laid out in a grid: row i is query token i, column j is
// key token j, each cell coloured by its weight on the viridis scale of
// colour_scale.hpp (from 0 to the largest weight of the run, shown by a colour
// bar with its two ends), the largest weight of each row outlined (every one of
// a tie, none in a row of equal weights), and the value printed in the cell
// when the cell is wide enough for it. Up to 64 tokens every cell also carries
// a <title> with its query, key and value, so a viewer that shows tooltips
// reads them (past that, cells are a few pixels wide and the titles would be
// most of the file: 256 tokens make 65,536 cells).
//
// It promises: a well-formed standalone SVG 1.1 document (the style is inlined
// from data/svg/heatmap.css, no external reference), n × n <rect class="cell">
// per head in row order, each with data-value holding the weight at
// `precision` decimals; the same Trace gives the same bytes. It reads the Trace
// only: the weights shown are the Trace's (before dropout).
#pragma once

#include <string>

#include "attn/trace.hpp"

namespace attn {

struct SvgOptions {
  int precision = 4;  // REQUIRES: 0 ≤ precision ≤ 9
  std::string css;    // the style sheet to inline (data/svg/heatmap.css)
};

std::string render_svg(const Trace& trace, const SvgOptions& options);

// The bundled style sheet, data/svg/heatmap.css. Throws DataError when it is missing.
std::string heatmap_css();

// Text made safe inside XML (and HTML) text and attribute values: & < > " '
// escaped, user text passed through printable() (echo.hpp) first.
std::string xml_text(std::string_view text);

}  // namespace attn
