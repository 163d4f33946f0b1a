// The timeline as one page: a head's weights at every snapshot, in a row, with
// the share curve under them. See render_timeline.hpp.
#include <algorithm>

#include <fmt/format.h>

#include "attn/render/render_model_summary.hpp"
#include "attn/render/render_timeline.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/util/echo.hpp"
#include "colour_scale.hpp"
#include "render_html_data.hpp"
#include "render_html_heatmap.hpp"
#include "render_html_page.hpp"

namespace attn {

namespace {

constexpr std::size_t kTitleBytes = 120;
constexpr int kCurveWidth = 640, kCurveHeight = 200, kMargin = 40;

// The points of one share across the snapshots, evenly spaced (the steps are about
// logarithmic), y = 1 at the top.
std::string polyline(const Timeline& t, double HeadShares::*which) {
  std::string points;
  const std::size_t n = t.frames.size();
  for (std::size_t k = 0; k < n; ++k) {
    if (!t.frames[k].shares) continue;
    const double x = kMargin + (n == 1 ? 0.0 : static_cast<double>(k) * (kCurveWidth - 2 * kMargin) / static_cast<double>(n - 1));
    const double y = kMargin / 2.0 + (1.0 - (*t.frames[k].shares).*which) * (kCurveHeight - kMargin);
    points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", x, y);
  }
  return points;
}

// The share curve: the previous-token and antecedent shares at every snapshot, and the baseline.
std::string curve_svg(const Timeline& t) {
  const double bottom = kCurveHeight - kMargin / 2.0, top = kMargin / 2.0;
  std::string svg = fmt::format(
      "<svg class=\"curve\" role=\"img\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" aria-label=\"the head's "
      "measured shares at every snapshot\">",
      kCurveWidth, kCurveHeight + 20, kCurveWidth, kCurveHeight + 20);
  for (const double v : {0.0, 0.5, 1.0}) {
    const double y = top + (1.0 - v) * (bottom - top);
    svg += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ccc\"/><text x=\"4\" y=\"{:.1f}\" "
                       "font-size=\"11\">{:.1f}</text>",
                       kMargin, kCurveWidth - kMargin, y, y, y + 4, v);
  }
  const std::size_t n = t.frames.size();
  for (std::size_t k = 0; k < n; ++k) {
    const double x = kMargin + (n == 1 ? 0.0 : static_cast<double>(k) * (kCurveWidth - 2 * kMargin) / static_cast<double>(n - 1));
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>", x, kCurveHeight + 12,
                       t.frames[k].snapshot.step);
  }
  if (t.baseline_fixed_offset) {
    const double y = top + (1.0 - *t.baseline_fixed_offset) * (bottom - top);
    svg += fmt::format("<line class=\"baseline\" x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#999\" "
                       "stroke-dasharray=\"2 3\"/>",
                       kMargin, kCurveWidth - kMargin, y, y);
  }
  svg += fmt::format("<polyline class=\"previous\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"{}\"/>",
                     polyline(t, &HeadShares::previous_token));
  svg += fmt::format("<polyline class=\"antecedent\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\" "
                     "stroke-dasharray=\"6 3\" points=\"{}\"/>",
                     polyline(t, &HeadShares::antecedent));
  return svg + "</svg>";
}

std::string frame_caption(const Timeline& t, const TimelineFrame& f, int precision) {
  std::string out = fmt::format("<b>step {}</b><br>loss {:.3f} (held out {:.3f})", f.snapshot.step, f.snapshot.train_loss,
                                f.snapshot.heldout_loss);
  if (f.shares) out += fmt::format("<br>previous token {:.3f}<br>antecedent {:.3f}", f.shares->previous_token, f.shares->antecedent);
  out += fmt::format("<br>{} → {} ({:.{}f})", label_html(t.tokens[t.focus]), label_html(t.tokens[f.looks_at]),
                     f.weights(t.focus, f.looks_at), std::max(precision, 2));
  return out;
}

std::string patterns_table(const Timeline& t, const TimelineFrame& f) {
  std::string out = "<table class=\"patterns\"><tbody>";
  for (std::size_t l = 0; l < f.patterns.size(); ++l) {
    out += fmt::format("<tr><th scope=\"row\">{}</th>", l + 1);
    for (const HeadProfile& p : f.patterns[l]) out += "<td>" + html_escape(pattern_cell(p, t.tokens)) + "</td>";
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

}  // namespace

std::string render_timeline_html(const Timeline& t, const TimelineOptions& options, const HtmlAssets& assets) {
  // The page's numbers (pointing at a cell shows its weight) need a run: the sentence's tokens.
  Trace tokens_only;
  tokens_only.sentence = t.sentence;
  tokens_only.tokens = t.tokens;
  HtmlNumbers numbers(options.precision);
  HtmlRun run{tokens_only, numbers, numbers.add_run(tokens_only), "r1", options.precision, std::nullopt, std::nullopt};
  std::string body = "<header class=\"top\"><h1>How a head forms during training</h1>";
  body += fmt::format(
      "<dl class=\"header\"><dt>sentence</dt><dd>{}</dd><dt>model</dt><dd>{} ({}): {} layers × {} heads, {} training "
      "snapshots</dd><dt>head</dt><dd>layer {} head {}{}</dd><dt>focus</dt><dd>{} (token {})</dd></dl></header><main>",
      user_text(t.sentence, kMessageLineBytes), user_text(t.model.name), user_text(t.folder, kMessageLineBytes),
      t.model.n_layer, t.model.n_head, t.frames.size(), t.layer, t.head,
      !t.chosen_by_default ? ""
      : t.evaluated        ? " (the clearest previous-token head at the last snapshot)"
                           : " (the first: the model has no evaluation.json to choose by)",
      label_html(t.tokens[t.focus]),
      t.focus + 1);
  body += fmt::format("<div class=\"run\" data-run=\"{}\" data-name=\"{}\">", run.index, run.id);
  body += "<section class=\"timeline\" aria-labelledby=\"timeline-t\"><h2 id=\"timeline-t\">The head's weights, snapshot by "
          "snapshot</h2><p>Each picture is this head's attention weights on the sentence at one training step: a row per "
          "query token, a column per key token. Under each, the losses then, the head's shares measured on the held-out "
          "sentences, and where the focus token looks most.</p>";
  body += legend_html(ColourScale{false, 0.0, 1.0}, options.precision);
  // The pictures small enough for several to stand in a row (each keeps its proportions).
  body += "<style>.frames{display:flex;gap:1em;overflow-x:auto}.frames figure{margin:0}.frames figure>svg{width:"
          "260px;height:auto}.frames figcaption{font-size:0.85em}</style><div class=\"frames\">";
  for (std::size_t k = 0; k < t.frames.size(); ++k) {
    const TimelineFrame& f = t.frames[k];
    HtmlMatrix picture{&f.weights, t.tokens, t.tokens, ColourScale{false, 0.0, 1.0}, true, fmt::format("s{}.w", k),
                       std::nullopt, fmt::format("attention weights at step {}", f.snapshot.step), options.precision,
                       std::nullopt};
    body += fmt::format("<figure class=\"frame\">{}<figcaption>{}</figcaption>{}</figure>", heatmap_svg(run, picture),
                        frame_caption(t, f, options.precision), t.all_layers ? patterns_table(t, f) : "");
  }
  body += "</div></section><section class=\"shares\" aria-labelledby=\"shares-t\"><h2 id=\"shares-t\">The shares, "
          "snapshot by snapshot</h2><p>Measured on the held-out sentences (scripts/eval_demo.py): the <b>previous-token "
          "share</b> (solid), the rows whose largest weight is on the token just before, and the <b>antecedent "
          "share</b> (dashed), the sentences whose \"it\" looks most at the noun it refers to";
  body += t.baseline_fixed_offset
              ? fmt::format("; the dotted line is {:.3f}, what always looking the same number of tokens back would score.</p>",
                            *t.baseline_fixed_offset)
              : ".</p>";
  body += curve_svg(t) + "</section></div></main>";
  body += fmt::format("<footer><p>Made by attn-explain {} (one file: it loads nothing and sends nothing).</p></footer>",
                      version());
  return fill_template(assets, "attn-explain timeline: " + user_text(t.sentence, kTitleBytes), body, numbers.json());
}

}  // namespace attn
