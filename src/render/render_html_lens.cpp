#include "render_html_lens.hpp"

#include <fmt/format.h>

#include "attn/render/render_lens.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/render/token_labels.hpp"
#include "colour_scale.hpp"
#include "render_html_page.hpp"

namespace attn {

std::string lens_html(const Trace& t, const std::string& id) {
  if (t.lens.empty()) return "";
  const std::vector<std::string> tokens = marked_tokens(t);
  std::string out = fmt::format(
      "<section class=\"lens\" aria-labelledby=\"{0}-lens-t\"><h2 id=\"{0}-lens-t\">Logit lens</h2><p>What the model would "
      "predict after each layer: ln_f and the tied embedding applied to the residual stream at every position. Each cell "
      "is the most likely next token there and its probability, shaded by it; the last row's last cell is the "
      "next-token list's first.</p><div class=\"mbox\" role=\"region\" tabindex=\"0\" aria-label=\"logit lens\">"
      "<table class=\"matrix lens\"><thead><tr><td class=\"corner\"></td>",
      id);
  for (const std::string& token : tokens) out += "<th scope=\"col\">" + label_html(token) + "</th>";
  out += "</tr></thead><tbody>";
  for (std::size_t layer = 0; layer < t.lens.size(); ++layer) {
    out += "<tr><th scope=\"row\">" + html_escape(lens_layer_name(layer)) + "</th>";
    for (const std::vector<NextToken>& top : t.lens[layer]) {
      const NextToken& best = top.front();
      const Rgb background = sequential_colour(best.probability);
      const bool dark = text_colour_on(background).r == 255;
      const std::string title = next_token_list(top);
      out += fmt::format("<td{} style=\"background:{}\" title=\"{}\">{} {}</td>", dark ? " class=\"d\"" : "", hex(background),
                         html_escape(title), label_html(best.token), html_escape(percent(best.probability)));
    }
    out += "</tr>";
  }
  return out + "</tbody></table></div></section>";
}

std::string generation_html(const Trace& t, const std::string& id, int precision) {
  if (!t.generation) return "";
  const Generation& g = *t.generation;
  const std::vector<std::string> tokens = marked_tokens(t);
  std::string out = fmt::format(
      "<section class=\"generation\" aria-labelledby=\"{0}-gen-t\"><h2 id=\"{0}-gen-t\">Generation</h2><p>{1} token{2} "
      "sampled one at a time after the sentence's {3}: at each step the kept tokens ({4}) are laid end to end, most "
      "likely first, and a draw u from torch.manual_seed({5}) picks the one whose stretch holds it. The model is causal, "
      "so each token's row in the heatmaps is the attention with which the model chose the token after it.</p><ol>",
      id, g.steps.size(), g.steps.size() == 1 ? "" : "s", g.prompt_tokens,
      g.top_k == 0 ? "all of them" : fmt::format("the top {}, renormalised", g.top_k), g.seed);
  for (std::size_t k = 0; k < g.steps.size(); ++k) {
    const GenerationStep& s = g.steps[k];
    const std::string top = next_token_list(s.top);
    out += fmt::format("<li>after {}: {}; u = {} → <strong>{}</strong> (cumulative {})</li>",
                       label_html(tokens[g.prompt_tokens + k - 1]), html_escape(top), format_number(s.draw, precision),
                       label_html(s.chosen.token), format_number(s.cumulative, precision));
  }
  return out + "</ol></section>";
}

}  // namespace attn
