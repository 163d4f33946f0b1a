// A matrix as an SVG heatmap over a palette PNG, and the colour legend. See
// render_html_heatmap.hpp.
#include "render_html_heatmap.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "attn/render/render_html.hpp"
#include "render_html_page.hpp"
#include "attn/util/png.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/trace_stats.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

constexpr int kPictureSize = 420;  // the longer side of the cells, in CSS pixels, at most
constexpr int kLargestCell = 40, kSmallestCell = 2;
constexpr int kLabelledCell = 10;  // smaller cells carry no labels (pointing at one names it)
constexpr std::size_t kLabelledUpTo = 64;  // up to this many rows and columns, cells are kLabelledCell at least
constexpr int kOutlinedCell = 5;  // smaller cells are too small for an outline: the weights' list names the largest
constexpr double kCharWidth = 0.6;  // an average character, in ems
constexpr int kValueFont = 9;
constexpr std::uint8_t kNotFinite = 255;  // the palette entry of a value that is not finite

// The palette: 255 steps along the scale, then grey.
std::vector<Rgb> palette_of(const ColourScale& scale) {
  std::vector<Rgb> palette;
  for (int k = 0; k < 255; ++k) {
    palette.push_back(scale.diverging ? diverging_colour(k / 127.0 - 1.0) : sequential_colour(k / 254.0));
  }
  palette.push_back(scale(std::nanf("")));
  return palette;
}

// The palette entry of `value`: its place along the scale, as ColourScale places it.
std::uint8_t palette_index(const ColourScale& scale, float value) {
  if (!std::isfinite(value)) return kNotFinite;
  double t = 0.0;
  if (scale.diverging) {
    t = (std::clamp(scale.high > 0 ? value / scale.high : 0.0, -1.0, 1.0) + 1.0) / 2.0;
  } else {
    t = std::clamp(scale.high > scale.low ? (value - scale.low) / (scale.high - scale.low) : 0.0, 0.0, 1.0);
  }
  return static_cast<std::uint8_t>(std::lround(t * 254.0));
}

// The cells as a PNG data: address.
std::string cells_png(const HtmlMatrix& h) {
  const Matrix& m = *h.m;
  std::vector<std::uint8_t> pixels(m.data.size());
  for (std::size_t k = 0; k < m.data.size(); ++k) pixels[k] = palette_index(h.scale, m.data[k]);
  return data_uri(png_indexed(m.cols, m.rows, pixels, palette_of(h.scale)));
}

// Where the cells and the labels go, in the picture's units (CSS pixels at its natural size).
struct Geometry {
  int cell = 0, font = 0;
  int left = 0, top = 0;  // the label margins
  int width = 0, height = 0;
};

int widest(const std::vector<std::string>& labels) {
  std::size_t w = 0;
  for (const std::string& l : labels) w = std::max(w, display_width(fit_label(printable(l))));
  return static_cast<int>(w);
}

Geometry geometry_of(const HtmlMatrix& h) {
  const Matrix& m = *h.m;
  Geometry g;
  const int longer = static_cast<int>(std::max(m.rows, m.cols));
  g.cell = std::clamp(kPictureSize / longer, kSmallestCell, kLargestCell);
  if (std::max(m.rows, m.cols) <= kLabelledUpTo) g.cell = std::max(g.cell, kLabelledCell);
  if (g.cell >= kLabelledCell) {
    g.font = std::min(12, g.cell - 1);
    g.left = std::min(140, static_cast<int>(std::ceil(widest(h.rows) * kCharWidth * g.font)) + 6);
    g.top = std::min(110, static_cast<int>(std::ceil(widest(h.cols) * kCharWidth * g.font)) + 6);
  }
  g.width = g.left + g.cell * static_cast<int>(m.cols) + 1;
  g.height = g.top + g.cell * static_cast<int>(m.rows) + 1;
  return g;
}

// Row labels on the left, column labels above, read upwards.
std::string labels_svg(const HtmlMatrix& h, const Geometry& g) {
  if (g.font == 0) return "";
  std::string out = fmt::format("<g class=\"lab\" font-size=\"{}\"><g text-anchor=\"end\">", g.font);
  for (std::size_t r = 0; r < h.rows.size(); ++r) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" dy=\".35em\">{}</text>", g.left - 4,
                       g.top + g.cell * static_cast<int>(r) + g.cell / 2, label_html(h.rows[r]));
  }
  out += "</g><g>";
  for (std::size_t c = 0; c < h.cols.size(); ++c) {
    const int x = g.left + g.cell * static_cast<int>(c) + g.cell / 2, y = g.top - 4;
    out += fmt::format("<text x=\"{0}\" y=\"{1}\" dy=\".35em\" transform=\"rotate(-90 {0} {1})\">{2}</text>", x, y,
                       label_html(h.cols[c]));
  }
  return out + "</g></g>";
}

// The numbers in the cells, when the widest of them fits.
std::string values_svg(const HtmlMatrix& h, const Geometry& g) {
  const Matrix& m = *h.m;
  if (g.cell < kLabelledCell) return "";
  std::vector<std::string> text(m.data.size());
  std::size_t longest = 0;
  for (std::size_t k = 0; k < m.data.size(); ++k) {
    text[k] = format_number(m.data[k], h.precision);
    longest = std::max(longest, text[k].size());
  }
  if (static_cast<double>(longest) * kCharWidth * kValueFont > g.cell - 4) return "";
  std::string out = fmt::format("<g class=\"val\" font-size=\"{}\" text-anchor=\"middle\">", kValueFont);
  for (std::size_t r = 0; r < m.rows; ++r) {
    for (std::size_t c = 0; c < m.cols; ++c) {
      out += fmt::format("<text x=\"{}\" y=\"{}\" dy=\".35em\" fill=\"{}\">{}</text>",
                         g.left + g.cell * static_cast<int>(c) + g.cell / 2,
                         g.top + g.cell * static_cast<int>(r) + g.cell / 2,
                         hex(text_colour_on(h.scale(m(r, c)))), text[r * m.cols + c]);
    }
  }
  return out + "</g>";
}

// An outline round each row's largest weight, as one path.
std::string maxima_svg(const HtmlMatrix& h, const Geometry& g) {
  if (!h.mark_row_max || g.cell < kOutlinedCell) return "";
  const Matrix& m = *h.m;
  const std::vector<char> top = row_maxima(m, h.precision);
  std::string d;
  for (std::size_t k = 0; k < top.size(); ++k) {
    if (!top[k]) continue;
    const int x = g.left + g.cell * static_cast<int>(k % m.cols), y = g.top + g.cell * static_cast<int>(k / m.cols);
    d += fmt::format("M{} {}h{}v{}h-{}z", x, y, g.cell, g.cell, g.cell);
  }
  return d.empty() ? "" : fmt::format("<path class=\"top\" stroke-width=\"{}\" d=\"{}\"/>", g.cell >= 20 ? 2.5 : 1.5, d);
}

}  // namespace

std::vector<char> row_maxima(const Matrix& m, int precision) {
  std::vector<char> top(m.data.size(), 0);
  if (m.cols == 0) return top;
  for (std::size_t r = 0; r < m.rows; ++r) {
    const StrongestKeys keys = strongest_keys(m.row(r), m.cols, precision);
    if (keys.even) continue;
    for (std::size_t c : keys.keys) top[r * m.cols + c] = m(r, c) > 0.0f;
  }
  return top;
}

bool drawn_as_table(const Matrix& m) { return m.cols <= kHtmlTableColumns && m.rows * m.cols <= kHtmlTableCells; }

std::string legend_html(const ColourScale& scale, int precision) {
  std::string stops;
  for (int k = 0; k <= 8; ++k) {
    const double t = k / 8.0;
    stops += ',';
    stops += hex(scale.diverging ? diverging_colour(2 * t - 1) : sequential_colour(t));
  }
  const std::string low = format_number(static_cast<float>(scale.low), precision);
  const std::string high = format_number(static_cast<float>(scale.high), precision);
  return fmt::format(
      "<div class=\"legend\"><span class=\"lo\">{}</span><span class=\"bar\" style=\"background:linear-gradient(to "
      "right{})\"></span><span class=\"hi\">{}</span><span class=\"note\">{}</span></div>",
      low, stops, high,
      scale.diverging ? "blue: negative, white: 0, red: positive; grey: not a number"
                      : "from 0 to the largest weight; grey: not a number");
}

std::string heatmap_svg(HtmlRun& run, const HtmlMatrix& h) {
  const Matrix& m = *h.m;
  run.numbers.add(run.index, h.key, m);
  const Geometry g = geometry_of(h);
  const std::string head = h.head ? fmt::format(" data-head=\"{}\"", *h.head) : "";
  std::string out = fmt::format(
      "<svg class=\"heatmap\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\" tabindex=\"0\" "
      "aria-label=\"{2}, {3} × {4}, as a heatmap: point at a cell, or use the arrow keys, for its number\" "
      "data-m=\"{5}\"{6} data-geo=\"{7} {8} {9}\">",
      g.width, g.height, html_escape(h.what), m.rows, m.cols, html_escape(h.key), head, g.left, g.top, g.cell);
  out += labels_svg(h, g);
  out += fmt::format("<image class=\"px\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" href=\"",
                     g.left, g.top, g.cell * static_cast<int>(m.cols), g.cell * static_cast<int>(m.rows));
  out += cells_png(h);
  out += "\"/>";
  out += values_svg(h, g);
  out += maxima_svg(h, g);
  return out + "</svg>";
}

}  // namespace attn
