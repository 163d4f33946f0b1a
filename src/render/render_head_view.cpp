#include "attn/render/render_head_view.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "render_html_page.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/render/token_labels.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

constexpr int kGap = 220;           // between the two columns of tokens, where the lines go
constexpr int kLegend = 26;         // the row of head names above the picture
constexpr double kFaintest = 0.01;  // lighter lines are not drawn

// "0.53" → ".53".
std::string opacity(double o) {
  const std::string s = fmt::format("{:.2f}", o);
  return s[0] == '0' ? s.substr(1) : s;
}

// The largest finite weight of a head (1 when there is none).
double largest(const Matrix& w) {
  double high = 0.0;
  for (const float v : w.data) {
    if (std::isfinite(v)) high = std::max(high, static_cast<double>(v));
  }
  return high > 0.0 ? high : 1.0;
}

}  // namespace

std::string render_head_view(const Trace& trace) {
  const std::vector<std::string> tokens = marked_tokens(trace);
  const int row = tokens.size() > 48 ? 12 : 20, font = tokens.size() > 48 ? 10 : 13;
  std::size_t widest = 0;
  for (const std::string& t : tokens) widest = std::max(widest, display_width(fit_label(printable(t))));
  const int label = std::min(130, static_cast<int>(std::ceil(static_cast<double>(widest) * 0.6 * font)) + 8);
  const int x1 = label + 4, x2 = x1 + kGap, width = std::max(x2 + 4 + label, 60 * static_cast<int>(trace.heads.size()));
  const int height = kLegend + 8 + row * static_cast<int>(tokens.size());
  const auto y = [&](std::size_t i) { return kLegend + 4 + row * static_cast<int>(i) + row / 2; };
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"head-view\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" "
      "font-family=\"system-ui, sans-serif\" font-size=\"{2}\" role=\"img\" aria-label=\"Every head's attention: a line "
      "from each query (left) to each key (right), one colour per head\">",
      width, height, font);
  const std::size_t n_colours = std::size(kHeadColours);
  for (std::size_t h = 0; h < trace.heads.size(); ++h) {
    out += fmt::format("<g class=\"legend\" data-head=\"{0}\" cursor=\"pointer\"><rect x=\"{1}\" y=\"4\" width=\"14\" "
                       "height=\"14\" fill=\"{2}\"/><text x=\"{3}\" y=\"15\">head {4}</text></g>",
                       h, 60 * h, kHeadColours[h % n_colours], 60 * h + 18, h + 1);
  }
  for (std::size_t h = 0; h < trace.heads.size(); ++h) {
    const Matrix& w = trace.heads[h].attn_weights;
    const double high = largest(w);
    out += fmt::format("<g class=\"head\" data-head=\"{}\" stroke=\"{}\" stroke-width=\"2\">", h, kHeadColours[h % n_colours]);
    for (std::size_t i = 0; i < w.rows; ++i) {
      for (std::size_t j = 0; j < w.cols; ++j) {
        const double o = std::isfinite(w(i, j)) ? w(i, j) / high : 0.0;
        if (o < kFaintest) continue;
        out += fmt::format("<path d=\"M{} {}L{} {}\" stroke-opacity=\"{}\"/>", x1, y(i), x2, y(j), opacity(std::min(o, 1.0)));
      }
    }
    out += "</g>";
  }
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string text = label_html(tokens[i]);
    out += fmt::format("<text x=\"{}\" y=\"{}\" dy=\".35em\" text-anchor=\"end\">{}</text>", label, y(i), text);
    out += fmt::format("<text x=\"{}\" y=\"{}\" dy=\".35em\">{}</text>", x2 + 4, y(i), text);
  }
  return out + "</svg>\n";
}

}  // namespace attn
