#include "attn/render/render_lens.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "attn/render/text_layout.hpp"
#include "attn/render/token_labels.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

std::string next_token_list(const std::vector<NextToken>& tokens) {
  std::string out;
  for (const NextToken& n : tokens) out += (out.empty() ? "" : ", ") + fmt::format("{} {}", fit_label(n.token), percent(n.probability));
  return out;
}

Matrix layer_norm_statistics(const LayerNormTrace& ln) {
  Matrix m(ln.mean.size(), 3);
  for (std::size_t i = 0; i < m.rows; ++i) m(i, 0) = ln.mean[i], m(i, 1) = ln.variance[i], m(i, 2) = ln.std[i];
  return m;
}

std::string lens_layer_name(std::size_t layer) { return layer == 0 ? "embeddings" : fmt::format("block {}", layer); }

std::string render_lens_grid(const Trace& t, std::size_t width) {
  const std::size_t n = t.tokens.size(), layers = t.lens.size();
  const std::vector<std::string> tokens = marked_tokens(t);
  // every cell's text, and each column's width: its widest cell or its token
  std::vector<std::vector<std::string>> cells(layers, std::vector<std::string>(n));
  std::vector<std::size_t> column(n, 0);
  for (std::size_t i = 0; i < n; ++i) column[i] = display_width(fit_label(tokens[i]));
  for (std::size_t l = 0; l < layers; ++l) {
    for (std::size_t i = 0; i < n; ++i) {
      const NextToken& top = t.lens[l][i].front();
      cells[l][i] = fmt::format("{} {}", fit_label(top.token), percent(top.probability));
      column[i] = std::max(column[i], display_width(cells[l][i]));
    }
  }
  std::size_t label = 0;
  for (std::size_t l = 0; l < layers; ++l) label = std::max(label, lens_layer_name(l).size());
  std::string out;
  std::size_t first = 0;
  while (first < n) {
    // the positions [first, last) that fit the width (at least one)
    std::size_t last = first, used = 2 + label;
    while (last < n && (last == first || width == 0 || used + 2 + column[last] <= width)) used += 2 + column[last++];
    if (first > 0) out += '\n';
    if (first > 0 || last < n) out += fmt::format("  positions {}–{} of {}\n", first + 1, last, n);
    out += "  " + std::string(label, ' ');
    for (std::size_t i = first; i < last; ++i) out += "  " + pad_right(fit_label(tokens[i]), column[i]);
    out += '\n';
    for (std::size_t l = 0; l < layers; ++l) {
      out += "  " + pad_right(lens_layer_name(l), label);
      for (std::size_t i = first; i < last; ++i) out += "  " + pad_right(cells[l][i], column[i]);
      out += '\n';
    }
    first = last;
  }
  // no spaces at the ends of lines (the last column is padded like the others)
  std::string trimmed;
  for (const char c : out) {
    if (c == '\n') trimmed.erase(trimmed.find_last_not_of(' ') + 1);
    trimmed += c;
  }
  return trimmed;
}

std::string render_lens(const Trace& t, std::size_t width) {
  std::string out = render_lens_grid(t, width);
  out += fmt::format("\n  The top {} at the last position ({}), layer by layer; the last line is the next-token list\n",
                     t.lens.back().back().size(), fit_label(marked_tokens(t).back()));
  for (std::size_t layer = 0; layer < t.lens.size(); ++layer)
    out += fmt::format("    {:<10}  {}\n", lens_layer_name(layer), next_token_list(t.lens[layer].back()));
  return out;
}

std::string generation_title(const Trace& t) {
  return fmt::format("Generation  one token at a time: the next-token probabilities, a draw u from torch.manual_seed({}), "
                     "the token whose share holds u",
                     t.generation->seed);
}

std::string render_generation(const Trace& t, int precision) {
  const Generation& g = *t.generation;
  std::string out = fmt::format("  The kept tokens ({}) are laid end to end, most likely first, each as long as its share; "
                                "u falls in one of them.\n",
                                g.top_k == 0 ? "all of them"
                                             : fmt::format("the top {}, their probabilities divided by their sum", g.top_k));
  const std::vector<std::string> tokens = marked_tokens(t);
  for (std::size_t k = 0; k < g.steps.size(); ++k) {
    const GenerationStep& s = g.steps[k];
    out += fmt::format("\n  step {}, after {}:  {}\n", k + 1, fit_label(tokens[g.prompt_tokens + k - 1]), next_token_list(s.top));
    out += fmt::format("    u = {}: the shares reach past it at {} (cumulative {}, its share {}) → {}\n",
                       format_number(s.draw, precision), fit_label(s.chosen.token), format_number(s.cumulative, precision),
                       format_number(s.share, precision), fit_label(s.chosen.token));
  }
  return out;
}

}  // namespace attn
