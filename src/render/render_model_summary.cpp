#include "attn/render/render_model_summary.hpp"

#include "attn/render/render_lens.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "attn/util/echo.hpp"
#include "attn/head_patterns.hpp"
#include "attn/render/style.hpp"
#include "attn/render/text_layout.hpp"
#include "attn/render/token_labels.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

// A pattern's share of the rows read, in whole percent.
int percent_of(std::size_t count, std::size_t rows) {
  return rows == 0 ? 0 : static_cast<int>(std::lround(100.0 * static_cast<double>(count) / static_cast<double>(rows)));
}

// The patterns by share, largest first: {short name, long name, count}.
struct Share {
  const char* short_name;
  const char* long_name;
  std::size_t count;
};

std::vector<Share> shares(const HeadProfile& p) {
  std::vector<Share> out{{"prev", "previous token", p.previous}, {"first", "first token", p.first},
                         {"self", "itself", p.self}, {"other", "other tokens", p.other}};
  std::stable_sort(out.begin(), out.end(), [](const Share& a, const Share& b) { return a.count > b.count; });
  return out;
}

}  // namespace

std::string pattern_cell(const HeadProfile& p, const std::vector<std::string>& tokens) {
  if (p.rows == 0) return "·";  // one token: nothing to tell
  const Share top = shares(p).front();
  const int pct = percent_of(top.count, p.rows);
  // Tokens that look at other tokens: the strongest such link names what the head does.
  const std::string what = top.count == p.other && p.other > 0
                               ? fmt::format("{}→{}", elide(tokens[p.link_query], 8), elide(tokens[p.link_key], 8))
                               : top.short_name;
  return p.pattern == HeadPattern::mixed ? fmt::format("({} {}%)", what, pct) : fmt::format("{} {}%", what, pct);
}

std::string head_caption(const HeadProfile& p, const std::vector<std::string>& tokens, int precision) {
  if (p.rows == 0) return "one token: it can only look at itself";
  const std::vector<Share> by_share = shares(p);
  const Share& top = by_share.front();
  const int pct = percent_of(top.count, p.rows);
  const std::string link =
      p.other > 0 ? fmt::format("{} → {} ({})", fit_label(tokens[p.link_query]), fit_label(tokens[p.link_key]),
                                format_number(p.link_weight, precision))
                  : "";
  switch (p.pattern) {
    case HeadPattern::previous: return fmt::format("previous token {}%", pct);
    case HeadPattern::first: return fmt::format("first token {}% (a resting place)", pct);
    case HeadPattern::self: return fmt::format("itself {}%", pct);
    case HeadPattern::other: return fmt::format("other tokens {}%: strongest {}", pct, link);
    case HeadPattern::mixed: break;
  }
  std::string out = fmt::format("no majority: {} {}%, {} {}%", top.long_name, pct, by_share[1].long_name,
                                percent_of(by_share[1].count, p.rows));
  if (p.other > 0) out += fmt::format("; strongest other link {}", link);
  return out;
}

std::string shares_note(std::size_t n) {
  const std::size_t left_out = rows_left_out(n);
  return left_out == 2 ? "The shares leave out tokens 1 and 2: token 1 can only look at itself, and for token 2 the "
                         "token before is also the first."
                       : "The shares leave out token 1: it can only look at itself.";
}

std::vector<std::vector<std::string>> where_tokens_look(const Trace& t) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"token"};
  for (std::size_t l = 0; l < t.layer_weights.size(); ++l) header.push_back(fmt::format("{}", l + 1));
  rows.push_back(header);
  const std::vector<std::string> tokens = marked_tokens(t);
  for (std::size_t i = 0; i < t.tokens.size(); ++i) {
    std::vector<std::string> row{fit_label(tokens[i])};
    for (const std::vector<Matrix>& layer : t.layer_weights) row.push_back(fit_label(tokens[layer_argmax(layer, i)]));
    rows.push_back(row);
  }
  return rows;
}

std::string render_model_summary(const Trace& t, const SummaryOptions& options) {
  const ModelInfo& m = *t.model;
  const std::size_t n = t.tokens.size();
  std::string out = "GPT-2's attention, every layer and head\n\n";
  out += fmt::format("  sentence    {}\n", elide(display_escape(t.sentence), 60));
  out += fmt::format("  model       {} ({}): {} layers × {} heads, n_embd = {}\n", printable(m.name),
                     printable(t.settings.table_path), m.n_layer, m.n_head, m.n_embd);
  out += fmt::format("  tokens      {}   (n = {})\n", display_escape(join(marked_tokens(t), " | ")), n);
  const std::vector<std::string> legend = mark_legend(t);
  if (!legend.empty()) out += fmt::format("  marks       {}\n", join(legend, "; "));
  out += "\n";

  const std::vector<std::string> tokens = marked_tokens(t);
  out += bold("What each head does", options.color) + ": where most tokens put their largest weight\n";
  out += "  prev: the token before · first: the first token · self: itself · A→B: other tokens, the strongest\n"
         "  such link (A looking at B) · (…): no pattern for more than half the tokens, the largest share\n";
  out += "  " + shares_note(n) + "\n\n";
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"layer"};
  for (std::size_t h = 0; h < m.n_head; ++h) header.push_back(fmt::format("head {}", h + 1));
  rows.push_back(header);
  for (std::size_t l = 0; l < t.layer_weights.size(); ++l) {
    std::vector<std::string> row{fmt::format("{} (h.{})", l + 1, l)};
    for (const Matrix& w : t.layer_weights[l]) row.push_back(pattern_cell(classify_head(w), tokens));
    rows.push_back(row);
  }
  out += grid(rows) + "\n";

  out += bold("Where each token looks", options.color) + " (the key with the largest weight, the layer's heads averaged)\n\n";
  out += grid(where_tokens_look(t));
  if (!t.next_tokens.empty()) {
    std::vector<std::string> next;
    for (const NextToken& k : t.next_tokens) next.push_back(fmt::format("{} {}", fit_label(k.token), percent(k.probability)));
    const std::string temperature = t.temperature != 1.0f ? fmt::format(" (temperature {:g})", t.temperature) : "";
    out += fmt::format("\n  Next token{}: {}\n", temperature, join(next, ", "));
  }
  if (!t.lens.empty()) out += "\n" + bold(kLensTitle, options.color) + "\n" + render_lens(t, 0);
  if (t.generation) out += "\n" + bold(generation_title(t), options.color) + "\n" + render_generation(t, 4);
  return out;
}

}  // namespace attn
