// The line view of one head's weights. See render_html_lines.hpp.
#include "render_html_lines.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "colour_scale.hpp"
#include "attn/render/render_html.hpp"
#include "render_html_page.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/render/token_labels.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

constexpr int kGap = 180;              // between the two columns of tokens, where the lines go
constexpr std::size_t kStrongest = 3;  // lines per query beyond kHtmlAllLines tokens
constexpr double kFaintest = 0.01;     // lighter lines are not drawn

struct LineGeometry {
  int row = 18, font = 12;
  int label = 0;         // the width of a column of labels
  int x1 = 0, x2 = 0;    // where the lines start and end
  int width = 0, height = 0;
  int y(std::size_t i) const { return 4 + row * static_cast<int>(i) + row / 2; }
};

LineGeometry geometry_of(const std::vector<std::string>& tokens) {
  LineGeometry g;
  if (tokens.size() <= 24) g.row = 22, g.font = 13;
  if (tokens.size() > 64) g.row = 12, g.font = 10;
  std::size_t widest = 0;
  for (const std::string& t : tokens) widest = std::max(widest, display_width(fit_label(printable(t))));
  g.label = std::min(130, static_cast<int>(std::ceil(static_cast<double>(widest) * 0.6 * g.font)) + 8);
  g.x1 = g.label + 4;
  g.x2 = g.x1 + kGap;
  g.width = g.x2 + 4 + g.label;
  g.height = 8 + g.row * static_cast<int>(tokens.size());
  return g;
}

// The keys of row i that get a line: all of them, or the strongest few (of equal ones, the first).
std::vector<std::size_t> keys_drawn(const Matrix& w, std::size_t i, bool all) {
  std::vector<std::size_t> keys(w.cols);
  for (std::size_t j = 0; j < w.cols; ++j) keys[j] = j;
  if (all || w.cols <= kStrongest) return keys;
  auto weight = [&](std::size_t j) { return std::isfinite(w(i, j)) ? w(i, j) : -1.0f; };
  // The kStrongest largest; of equal ones, the first (as a stable sort would keep them).
  std::partial_sort(keys.begin(), keys.begin() + kStrongest, keys.end(), [&](std::size_t a, std::size_t b) {
    return weight(a) > weight(b) || (weight(a) == weight(b) && a < b);
  });
  keys.resize(kStrongest);
  std::sort(keys.begin(), keys.end());
  return keys;
}

// "0.53" → ".53": an opacity in two decimals.
std::string opacity(double o) {
  std::string s = fmt::format("{:.2f}", o);
  return s[0] == '0' ? s.substr(1) : s;
}

}  // namespace

std::string line_view_caption(std::size_t tokens) {
  if (tokens <= kHtmlAllLines) {
    return "A line from each query (left) to each key (right), darker for a larger weight: its opacity is the weight "
           "over the largest weight of the head.";
  }
  return fmt::format("With {} tokens, each query (left) has a line to its {} strongest keys (right; of equal ones, the "
                     "first), darker for a larger weight; select a token to see all its lines.",
                     tokens, kStrongest);
}

std::string line_view_svg(const HtmlRun& run, std::size_t head, std::optional<std::size_t> selected) {
  const std::vector<std::string> tokens = marked_tokens(run.trace);
  const Matrix& w = run.trace.heads[head].attn_weights;
  const LineGeometry g = geometry_of(tokens);
  const double largest = weight_scale(w).high;
  const bool all = tokens.size() <= kHtmlAllLines;
  std::string out = fmt::format(
      "<svg class=\"lines{0}\" viewBox=\"0 0 {2} {3}\" width=\"{2}\" height=\"{3}\" role=\"img\" tabindex=\"0\" "
      "aria-label=\"Line view of head {4}: a line from each token to each key, darker for a larger weight; arrow keys "
      "select a token\" data-head=\"{1}\" data-all=\"{5}\" data-max=\"{6}\" data-geo=\"{7} {8} {9}\" font-size=\"{10}\">",
      selected ? " has-sel" : "", head, g.width, g.height, head + 1, all ? 1 : 0, largest, g.x1, g.x2, g.row, g.font);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const int y = g.y(i);
    out += fmt::format("<g class=\"q{}\" data-i=\"{}\"><rect class=\"hit\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
                       "<text x=\"{}\" y=\"{}\" dy=\".35em\" text-anchor=\"end\">{}</text>",
                       selected == i ? " sel" : "", i, y - g.row / 2, g.x1, g.row, g.label, y,
                       label_html(tokens[i]));
    for (std::size_t j : keys_drawn(w, i, all || selected == i)) {
      const double o = std::isfinite(w(i, j)) ? w(i, j) / largest : 0.0;
      if (o < kFaintest) continue;
      out += fmt::format("<path d=\"M{} {}L{} {}\" stroke-opacity=\"{}\"/>", g.x1, y, g.x2, g.y(j), opacity(std::min(o, 1.0)));
    }
    out += "</g>";
  }
  out += "<g class=\"keys\">";
  for (std::size_t j = 0; j < tokens.size(); ++j) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" dy=\".35em\">{}</text>", g.x2 + 4, g.y(j), label_html(tokens[j]));
  }
  return out + "</g></svg>";
}

std::string pictures_html(HtmlRun& run, std::optional<std::size_t> selected) {
  const Trace& t = run.trace;
  std::string out = fmt::format(
      "<section class=\"pictures\" id=\"{0}-pictures\" aria-labelledby=\"{0}-pictures-t\"><h2 id=\"{0}-pictures-t\">"
      "The weights at a glance</h2><p class=\"how\">Point at a cell (or Tab to a picture and use the arrow keys) for its "
      "number and its arithmetic; point at a token of the line view to see where it looks. The outlined cells are "
      "each row's largest weight.</p><div class=\"heads\">",
      run.id);
  for (std::size_t k = 0; k < t.heads.size(); ++k) {
    if (run.head && *run.head != k) continue;
    const Matrix& w = t.heads[k].attn_weights;
    const std::string name = t.heads.size() > 1 ? fmt::format("Head {}: attention weights α", k + 1) : "Attention weights α";
    const HtmlMatrix heatmap{&w, marked_tokens(t), marked_tokens(t), weight_scale(w), true, fmt::format("h{}.w", k), k,
                             t.heads.size() > 1 ? fmt::format("attention weights α, head {}", k + 1) : "attention weights α",
                             run.precision, std::nullopt};
    out += fmt::format("<figure class=\"head-pics\"><figcaption>{}</figcaption><div class=\"pics\"><div class=\"hm\">",
                       html_escape(name));
    out += heatmap_svg(run, heatmap);
    out += legend_html(heatmap.scale, run.precision);
    out += "</div><div class=\"lv\">";
    out += line_view_svg(run, k, selected);
    out += "<p class=\"cap\">" + html_escape(line_view_caption(t.tokens.size())) + "</p>";
    out += "</div></div></figure>";
  }
  return out + "</div></section>";
}

}  // namespace attn
