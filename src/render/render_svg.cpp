// The weights heatmap as SVG: panels, labels, cells, values, the colour bar.
#include "attn/render/render_svg.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "colour_scale.hpp"
#include "attn/util/data_dir.hpp"
#include "render_html_page.hpp"  // html_escape
#include "attn/util/echo.hpp"
#include "attn/util/text_file.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/render/token_labels.hpp"
#include "attn/trace_stats.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

constexpr double kCharWidth = 6.6;     // px per column of an 11 px label, a generous estimate
constexpr double kValueCharWidth = 5.6;  // px per character of a 9 px value
constexpr int kPanelsPerRow = 4;
constexpr int kGap = 36;  // between panels, and around the picture
constexpr std::size_t kTooltipTokens = 64;  // cells carry a <title> up to this many tokens

// The side of a cell: a picture about 480 px wide per panel, cells 6 to 44 px.
int cell_size(std::size_t n) { return std::clamp(static_cast<int>(480 / std::max<std::size_t>(n, 1)), 6, 44); }

// The value as it fits a cell: `precision` decimals, fewer when the cell is
// narrow, nothing when not even one decimal fits.
std::string cell_value(float w, int precision, int cell) {
  const auto fits = [&](const std::string& s) { return static_cast<double>(s.size()) * kValueCharWidth + 4 <= cell; };
  for (int p = precision; p >= 1; --p) {
    std::string s = format_number(w, p);
    if (s.rfind("0.", 0) == 0 && p >= 2) s.erase(0, 1);  // ".26": the leading 0 of a weight says nothing
    if (fits(s)) return s;
  }
  return "";
}

struct Layout {
  std::size_t n = 0, heads = 0;
  int cell = 0;
  int label_width = 0;  // room for the row labels, and the column labels' height
  int panel_width = 0, panel_height = 0;
  int columns = 0, rows = 0;
  int top = 0;  // below the title
  std::vector<std::string> labels;  // the tokens, marked (token_labels.hpp) and cut to fit
  std::vector<std::string> legend;  // what the marks mean, a line each under the subtitle
};

Layout layout_of(const Trace& t) {
  Layout l;
  l.n = t.tokens.size();
  l.heads = t.heads.size();
  l.cell = cell_size(l.n);
  std::size_t widest = 1;
  for (const auto& tok : marked_tokens(t)) l.labels.push_back(fit_label(tok));
  for (const auto& label : l.labels) widest = std::max(widest, display_width(label));
  l.legend = mark_legend(t);
  l.label_width = static_cast<int>(std::ceil(static_cast<double>(widest) * kCharWidth)) + 8;
  const int grid = l.cell * static_cast<int>(l.n);
  l.panel_width = l.label_width + grid;
  l.panel_height = 22 + l.label_width + grid;  // title, column labels, cells
  l.columns = static_cast<int>(std::min<std::size_t>(l.heads, kPanelsPerRow));
  l.rows = static_cast<int>((l.heads + kPanelsPerRow - 1) / kPanelsPerRow);
  l.top = 74 + 16 * static_cast<int>(l.legend.size());  // the title, two lines of subtitle, the marks' lines
  return l;
}

// One head's panel, its top-left corner at (x, y).
std::string panel(const Trace& t, std::size_t head, const Layout& l, const ColourScale& scale, int precision, int x,
                  int y) {
  const HeadTrace& h = t.heads[head];
  std::string out = fmt::format("<g class=\"panel\" id=\"head-{}\" transform=\"translate({} {})\">\n", head + 1, x, y);
  out += fmt::format("<text class=\"panel-title\" x=\"{}\" y=\"14\">{}</text>\n", l.label_width,
                     l.heads > 1 ? fmt::format("Head {}", head + 1) : std::string("Attention weights"));
  const int grid_top = 22 + l.label_width, half = l.cell / 2;
  for (std::size_t j = 0; j < l.n; ++j) {  // key labels, slanted, above their column
    out += fmt::format("<text class=\"label\" transform=\"translate({} {}) rotate(-60)\">{}</text>\n",
                       l.label_width + static_cast<int>(j) * l.cell + half + 3, grid_top - 4, xml_text(l.labels[j]));
  }
  for (std::size_t i = 0; i < l.n; ++i) {
    const int row_y = grid_top + static_cast<int>(i) * l.cell;
    out += fmt::format("<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"central\">{}</text>\n",
                       l.label_width - 6, row_y + half, xml_text(l.labels[i]));
    const StrongestKeys top = strongest_keys(h.attn_weights.row(i), visible_keys(t.settings, i, l.n), precision);
    for (std::size_t j = 0; j < l.n; ++j) {
      const float w = h.attn_weights(i, j);
      const Rgb fill = scale(w);
      const int cx = l.label_width + static_cast<int>(j) * l.cell;
      const std::string shown = format_number(w, precision);
      out += fmt::format(
          "<rect class=\"cell\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" data-row=\"{}\" data-col=\"{}\" "
          "data-value=\"{}\"",
          cx, row_y, l.cell, l.cell, hex(fill), i + 1, j + 1, shown);
      // A tooltip per cell while the cells are big enough to point at; past that, the file would be mostly tooltips.
      out += l.n <= kTooltipTokens ? fmt::format("><title>{} → {}: {}</title></rect>\n", xml_text(l.labels[i]),
                                                 xml_text(l.labels[j]), shown)
                                   : std::string("/>\n");
      const std::string value = cell_value(w, precision, l.cell);
      if (!value.empty()) {
        out += fmt::format("<text class=\"value\" x=\"{}\" y=\"{}\" style=\"fill: {}\">{}</text>\n", cx + half, row_y + half,
                           hex(text_colour_on(fill)), value);
      }
    }
    if (top.even) continue;
    for (std::size_t j : top.keys) {
      out += fmt::format("<rect class=\"largest\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n",
                         l.label_width + static_cast<int>(j) * l.cell + 1, row_y + 1, l.cell - 2, l.cell - 2);
    }
  }
  return out + "</g>\n";
}

// The colour bar: the scale from 0 to its top, with both ends labelled.
std::string colour_bar(const ColourScale& scale, int precision, int x, int y, int height) {
  std::string out = "<defs><linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\n";
  for (int k = 0; k <= 8; ++k)
    out += fmt::format("<stop offset=\"{:.3f}\" stop-color=\"{}\"/>\n", k / 8.0, hex(sequential_colour(k / 8.0)));
  out += "</linearGradient></defs>\n";
  out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"{}\" fill=\"url(#scale)\"/>\n", x, y, height);
  out += fmt::format("<rect class=\"bar-edge\" x=\"{}\" y=\"{}\" width=\"14\" height=\"{}\"/>\n", x, y, height);
  out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\">{}</text>\n", x + 18, y + 8,
                     format_number(static_cast<float>(scale.high), precision));
  out += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\">0</text>\n", x + 18, y + height);
  out += fmt::format("<text class=\"axis\" transform=\"translate({} {}) rotate(-90)\">weight</text>\n", x - 4,
                     y + height / 2 + 18);
  return out;
}

// Where X and the weights came from: "X: table default · W: torch.rand, seed 123".
std::string where_from(const Trace& t) {
  const Settings& s = t.settings;
  if (t.model) return fmt::format("model {}, layer {}", s.table_name, t.layer ? std::to_string(*t.layer) : "all");
  const std::string x = "X: table " + s.table_name;
  switch (s.projection) {
    case Projection::none: return x + " · no weights (Q = K = V = X)";
    case Projection::rand: return fmt::format("{} · W: torch.rand, seed {}", x, s.seed);
    case Projection::linear: return fmt::format("{} · W: nn.Linear, seed {}", x, s.seed);
    case Projection::table: return x + " · W: from the table";
    case Projection::model: break;
  }
  return x;
}

}  // namespace

std::string xml_text(std::string_view text) { return html_escape(printable(text, kMessageLineBytes)); }

std::string heatmap_css() { return read_text_file(find_data_file("svg/heatmap.css")); }

std::string render_svg(const Trace& t, const SvgOptions& options) {
  const Layout l = layout_of(t);
  // One scale for every head, so that equal colours mean equal weights across panels.
  Matrix all(0, 0);
  for (const HeadTrace& h : t.heads) all.data.insert(all.data.end(), h.attn_weights.data.begin(), h.attn_weights.data.end());
  const ColourScale scale = weight_scale(all);
  const int grid_width = l.columns * l.panel_width + (l.columns - 1) * kGap;
  // Wide enough for the subtitle and the marks' lines, however few the tokens.
  const int width = std::max(kGap + grid_width + kGap + 60, l.legend.empty() ? 0 : 520);
  const int bar_height = std::min(240, l.panel_height - 40);
  const int height = l.top + l.rows * l.panel_height + (l.rows - 1) * kGap + kGap;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-labelledby=\"svg-title svg-desc\">\n",
      width, height);
  out += fmt::format("<title id=\"svg-title\">Attention weights of \"{}\"</title>\n", xml_text(t.sentence));
  out += fmt::format(
      "<desc id=\"svg-desc\">{} tokens, {} head{}: row i is query token i, column j key token j; each cell's colour and "
      "number are its weight; the largest weight of each row is outlined.</desc>\n",
      l.n, l.heads, l.heads == 1 ? "" : "s");
  out += "<style>\n" + options.css + "</style>\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  out += fmt::format("<text class=\"title\" x=\"{}\" y=\"24\">{}</text>\n", kGap, xml_text(t.sentence));
  out += fmt::format("<text class=\"subtitle\" x=\"{}\" y=\"42\">softmax weights{}, {} head{}; rows: queries, "
                     "columns: keys</text>\n",
                     kGap, t.settings.causal ? " (causal)" : "", l.heads, l.heads == 1 ? "" : "s");
  out += fmt::format("<text class=\"subtitle\" x=\"{}\" y=\"58\">{}</text>\n", kGap, xml_text(where_from(t)));
  for (std::size_t k = 0; k < l.legend.size(); ++k) {
    out += fmt::format("<text class=\"subtitle legend\" x=\"{}\" y=\"{}\">{}</text>\n", kGap, 74 + 16 * static_cast<int>(k),
                       xml_text(l.legend[k]));
  }
  for (std::size_t k = 0; k < l.heads; ++k) {
    const int col = static_cast<int>(k % kPanelsPerRow), row = static_cast<int>(k / kPanelsPerRow);
    out += panel(t, k, l, scale, options.precision, kGap + col * (l.panel_width + kGap),
                 l.top + row * (l.panel_height + kGap));
  }
  out += colour_bar(scale, options.precision, kGap + grid_width + kGap, l.top + 22 + l.label_width, bar_height);
  return out + "</svg>\n";
}

}  // namespace attn
