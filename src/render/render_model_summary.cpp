#include "render_model_summary.hpp"

#include <cmath>

#include <fmt/format.h>

#include "echo.hpp"
#include "head_patterns.hpp"
#include "style.hpp"
#include "text_layout.hpp"
#include "unicode.hpp"

namespace attn {

namespace {

std::string pattern_cell(const HeadProfile& p) {
  if (p.pattern == HeadPattern::mixed) return "·";
  const char* name = p.pattern == HeadPattern::previous ? "prev" : to_string(p.pattern);
  return fmt::format("{} {}%", name, static_cast<int>(std::lround(100.0 * p.share())));
}

}  // namespace

std::string render_model_summary(const Trace& t, const SummaryOptions& options) {
  const ModelInfo& m = *t.model;
  const std::size_t n = t.tokens.size();
  std::string out = "GPT-2's attention, every layer and head\n\n";
  out += fmt::format("  sentence    {}\n", elide(display_escape(t.sentence), 60));
  out += fmt::format("  model       {} ({}): {} layers × {} heads, n_embd = {}\n", printable(m.name),
                     printable(t.settings.table_path), m.n_layer, m.n_head, m.n_embd);
  out += fmt::format("  tokens      {}   (n = {})\n\n", display_escape(join(t.tokens, " | ")), n);

  out += bold("What each head does", options.color) + " (the key most query tokens attend to most)\n";
  out += "  prev: the token before · first: the first token · self: itself · other: another token · "
         "·: no pattern for more than half the tokens\n\n";
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"layer"};
  for (std::size_t h = 0; h < m.n_head; ++h) header.push_back(fmt::format("head {}", h + 1));
  rows.push_back(header);
  for (std::size_t l = 0; l < t.layer_weights.size(); ++l) {
    std::vector<std::string> row{fmt::format("{} (h.{})", l + 1, l)};
    for (const Matrix& w : t.layer_weights[l]) row.push_back(pattern_cell(classify_head(w)));
    rows.push_back(row);
  }
  out += grid(rows) + "\n";

  out += bold("Where each token looks", options.color) + " (the key with the largest weight, the layer's heads averaged)\n\n";
  rows.clear();
  header = {"token"};
  for (std::size_t l = 0; l < t.layer_weights.size(); ++l) header.push_back(fmt::format("{}", l + 1));
  rows.push_back(header);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::string> row{fit_label(t.tokens[i])};
    for (const std::vector<Matrix>& layer : t.layer_weights) row.push_back(fit_label(t.tokens[layer_argmax(layer, i)]));
    rows.push_back(row);
  }
  out += grid(rows);
  if (!t.next_tokens.empty()) {
    std::vector<std::string> next;
    for (const NextToken& k : t.next_tokens) next.push_back(fmt::format("{} {}", fit_label(k.token), percent(k.probability)));
    out += fmt::format("\n  Next token: {}\n", join(next, ", "));
  }
  return out;
}

}  // namespace attn
