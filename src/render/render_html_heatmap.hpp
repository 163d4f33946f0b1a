// render_html_heatmap.hpp: a matrix as a heatmap picture, and the colour
// legend every shaded matrix of a page carries.
//
// heatmap_svg() draws a matrix as an inline SVG: one pixel of a palette PNG
// per cell (png.hpp, in util), scaled up without smoothing, with the row
// and column labels when the cells are large enough to carry them, the numbers
// in the cells when they fit, and an outline round the largest weight of each
// row (every one of a tie) when the matrix holds weights. The page's script
// shows the number of the cell pointed at (read from HtmlNumbers under the
// matrix's key) and, for a head's scores and weights, its arithmetic; arrow
// keys move through the cells when the picture has the keyboard focus.
//
// Promises: the colours are colour_scale.hpp's, quantised to 255 steps along
// the scale (a grey for values that are not finite); the picture is whole (every
// cell drawn) at any size; it needs no script to be seen.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "attn/matrix.hpp"
#include "colour_scale.hpp"
#include "render_html_data.hpp"

namespace attn {

// A matrix to draw, and what the drawing needs to know of it.
struct HtmlMatrix {
  const Matrix* m = nullptr;
  std::vector<std::string> rows, cols;  // the labels, as plain text (escaped when drawn)
  ColourScale scale;
  bool mark_row_max = false;            // weights: each row's largest, in bold and outlined
  std::string key;                      // its numbers' key in the page's HtmlNumbers, e.g. "h0.w"
  std::optional<std::size_t> head;      // its cells open the arithmetic of this head's cell
  std::string what;                     // a short name for it, e.g. "attention weights α, head 1"
  int precision = 4;                    // the decimals its cells show
  std::optional<std::size_t> selected;  // a row of tokens: the token under discussion, marked (tables only)
};

// Each cell: is it a largest weight of its row, as the tables mark them (every
// key that prints like the row's largest, none in an evenly spread row, never a
// weight of 0)? Row-major, like m.data.
std::vector<char> row_maxima(const Matrix& m, int precision);

// Is `m` small enough to draw as a table of numbers (kHtmlTableColumns, kHtmlTableCells)?
bool drawn_as_table(const Matrix& m);

// The legend of a scale: the colour bar between its two ends, labelled.
std::string legend_html(const ColourScale& scale, int precision);

// The picture; its numbers are added to run.numbers under matrix.key.
// REQUIRES: matrix.m is not empty.
std::string heatmap_svg(HtmlRun& run, const HtmlMatrix& matrix);

}  // namespace attn
