#include "render_html_grid.hpp"

#include <cmath>

#include <fmt/format.h>

#include "colour_scale.hpp"
#include "data_dir.hpp"
#include "head_patterns.hpp"
#include "render_html_data.hpp"
#include "render_html_heatmap.hpp"
#include "render_html_page.hpp"
#include "text_layout.hpp"

namespace attn {

namespace {

constexpr std::size_t kTitleBytes = 120;

std::string caption(std::size_t head, const HeadProfile& p) {
  if (p.pattern == HeadPattern::mixed) return fmt::format("head {}", head + 1);
  const char* name = p.pattern == HeadPattern::previous ? "prev" : to_string(p.pattern);
  return fmt::format("head {} · {} {}%", head + 1, name, static_cast<int>(std::lround(100.0 * p.share())));
}

std::string header(const Trace& t) {
  const ModelInfo& m = *t.model;
  std::string tokens;
  for (std::size_t i = 0; i < t.tokens.size(); ++i)
    tokens += fmt::format("<span class=\"chip\"><small>{}</small> {}</span> ", i + 1, label_html(t.tokens[i]));
  std::string next;
  for (const NextToken& k : t.next_tokens)
    next += fmt::format("{}{} {}", next.empty() ? "" : ", ", label_html(k.token), percent(k.probability));
  return fmt::format(
      "<dl class=\"header\"><dt>sentence</dt><dd>{}</dd><dt>model</dt><dd>{} ({}): {} layers × {} heads, n_embd = {}</dd>"
      "<dt>tokens</dt><dd>{}</dd>{}</dl>",
      user_text(t.sentence, kMessageLineBytes), user_text(m.name), user_text(t.settings.table_path, kMessageLineBytes),
      m.n_layer, m.n_head, m.n_embd, tokens, next.empty() ? "" : "<dt>next token</dt><dd>" + next + "</dd>");
}

}  // namespace

std::string render_html_model_grid(const Trace& trace, const HtmlOptions& options, const HtmlAssets& assets) {
  HtmlNumbers numbers(options.precision);
  HtmlRun run{trace, numbers, numbers.add_run(trace), "r1", options.precision};
  std::string body = "<header class=\"top\"><h1>Attention, every layer and head</h1>" + header(trace) + "</header><main>";
  body += fmt::format("<div class=\"run\" data-run=\"{}\" data-name=\"{}\">", run.index, run.id);
  body += "<section class=\"model-grid\" aria-labelledby=\"grid-t\"><h2 id=\"grid-t\">Every head's weights</h2>"
          "<p>One row per layer, one column per head: each picture is a head's attention weights, a row per query "
          "token and a column per key token (the causal mask leaves the upper triangle empty). A caption names the "
          "pattern most tokens follow: <b>prev</b> (the token before), <b>first</b> (the first token), <b>self</b>, "
          "<b>other</b>. Point at a cell for its weight.</p>";
  body += legend_html(ColourScale{false, 0.0, 1.0}, options.precision);
  body += "<table class=\"grid\"><tbody>";
  for (std::size_t l = 0; l < trace.layer_weights.size(); ++l) {
    body += fmt::format("<tr><th scope=\"row\">layer {}<br><small>h.{}</small></th>", l + 1, l);
    for (std::size_t h = 0; h < trace.layer_weights[l].size(); ++h) {
      const Matrix& w = trace.layer_weights[l][h];
      HtmlMatrix picture{&w,   trace.tokens, trace.tokens, ColourScale{false, 0.0, 1.0}, true,
                         fmt::format("l{}h{}.w", l, h), std::nullopt,
                         fmt::format("attention weights, layer {}, head {}", l + 1, h + 1), options.precision};
      body += fmt::format("<td><figure>{}<figcaption>{}</figcaption></figure></td>", heatmap_svg(run, picture),
                          caption(h, classify_head(w)));
    }
    body += "</tr>";
  }
  body += "</tbody></table></section></div></main>";
  body += fmt::format("<footer><p>Made by attn-explain {} (one file: it loads nothing and sends nothing).</p></footer>",
                      version());
  const std::string title = "attn-explain: " + user_text(trace.sentence, kTitleBytes);
  return fill_template(assets, title, body, numbers.json());
}

}  // namespace attn
