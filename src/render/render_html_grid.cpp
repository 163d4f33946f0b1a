#include "attn/render/render_html_grid.hpp"

#include <cmath>

#include <fmt/format.h>

#include "colour_scale.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/head_patterns.hpp"
#include "render_html_data.hpp"
#include "render_html_lens.hpp"
#include "render_html_heatmap.hpp"
#include "render_html_page.hpp"
#include "attn/render/render_model_summary.hpp"
#include "attn/render/token_labels.hpp"
#include "attn/render/text_layout.hpp"

namespace attn {

namespace {

constexpr std::size_t kGridTitleBytes = 120;

std::string caption(std::size_t head, const HeadProfile& p, const std::vector<std::string>& tokens, int precision) {
  return fmt::format("<b>head {}</b> {}", head + 1, html_escape(head_caption(p, tokens, precision)));
}

// The terminal's "Where each token looks", as a table.
std::string where_tokens_look_html(const Trace& t) {
  const std::vector<std::vector<std::string>> rows = where_tokens_look(t);
  std::string out =
      "<section class=\"looks\" aria-labelledby=\"looks-t\"><h2 id=\"looks-t\">Where each token looks</h2><p>For each "
      "token (a row), the key it attends to most in each layer (a column), the layer's heads averaged.</p>"
      "<table class=\"looks\"><thead><tr>";
  for (std::size_t c = 0; c < rows.front().size(); ++c)
    out += fmt::format("<th scope=\"col\">{}</th>", c == 0 ? "token" : "layer " + html_escape(rows.front()[c]));
  out += "</tr></thead><tbody>";
  for (std::size_t r = 1; r < rows.size(); ++r) {
    out += "<tr><th scope=\"row\">" + label_html(rows[r][0]) + "</th>";
    for (std::size_t c = 1; c < rows[r].size(); ++c) out += "<td>" + label_html(rows[r][c]) + "</td>";
    out += "</tr>";
  }
  return out + "</tbody></table></section>";
}

std::string header(const Trace& t) {
  const ModelInfo& m = *t.model;
  std::string tokens;
  const std::vector<std::string> marked = marked_tokens(t);
  for (std::size_t i = 0; i < t.tokens.size(); ++i)
    tokens += fmt::format("<span class=\"chip\"><small>{}</small> {}</span> ", i + 1, label_html(marked[i]));
  const std::vector<std::string> legend = mark_legend(t);
  if (!legend.empty()) tokens += "<br><small class=\"marks\">" + html_escape(join(legend, "; ")) + "</small>";
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
  HtmlRun run{trace, numbers, numbers.add_run(trace), "r1", options.precision, std::nullopt, std::nullopt};
  std::string body = "<header class=\"top\"><h1>Attention, every layer and head</h1>" + header(trace) + "</header><main>";
  body += fmt::format("<div class=\"run\" data-run=\"{}\" data-name=\"{}\">", run.index, run.id);
  body += "<section class=\"model-grid\" aria-labelledby=\"grid-t\"><h2 id=\"grid-t\">Every head's weights</h2>"
          "<p>One row per layer, one column per head: each picture is a head's attention weights, a row per query "
          "token and a column per key token (the causal mask leaves the upper triangle empty). Under it, where most "
          "tokens put their largest weight: the <b>previous token</b>, the <b>first token</b> (where a head rests when "
          "it has nothing better to do), <b>itself</b>, or <b>other tokens</b> (then the strongest such link, such as "
          "it → dog); with no majority, the two largest shares. " +
          html_escape(shares_note(trace.tokens.size())) + " Point at a cell for its weight.</p>";
  body += legend_html(ColourScale{false, 0.0, 1.0}, options.precision);
  const std::vector<std::string> tokens = marked_tokens(trace);
  body += "<table class=\"grid\"><tbody>";
  for (std::size_t l = 0; l < trace.layer_weights.size(); ++l) {
    body += fmt::format("<tr><th scope=\"row\">layer {}<br><small>h.{}</small></th>", l + 1, l);
    for (std::size_t h = 0; h < trace.layer_weights[l].size(); ++h) {
      const Matrix& w = trace.layer_weights[l][h];
      HtmlMatrix picture{&w,   tokens, tokens, ColourScale{false, 0.0, 1.0}, true,
                         fmt::format("l{}h{}.w", l, h), std::nullopt,
                         fmt::format("attention weights, layer {}, head {}", l + 1, h + 1), options.precision,
                         std::nullopt};
      body += fmt::format("<td><figure>{}<figcaption>{}</figcaption></figure></td>", heatmap_svg(run, picture),
                          caption(h, classify_head(w), tokens, options.precision));
    }
    body += "</tr>";
  }
  body += "</tbody></table></section>" + where_tokens_look_html(trace) + lens_html(trace, "grid") +
          generation_html(trace, "grid", 4) + "</div></main>";
  body += fmt::format("<footer><p>Made by attn-explain {} (one file: it loads nothing and sends nothing).</p></footer>",
                      version());
  const std::string title = "attn-explain: " + user_text(trace.sentence, kGridTitleBytes);
  return fill_template(assets, title, body, numbers.json());
}

}  // namespace attn
