// The focus walkthrough's query and scores: each a dot product, term by term.
#include "focus_query.hpp"

#include <fmt/format.h>

#include "attn/render/text_layout.hpp"
#include "attn/render/token_labels.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

// Without trainable weights the query is the embedding (or this head's columns of it).
void write_plain_query(FocusPage& page, const HeadTrace& h, std::size_t head_index) {
  const std::size_t x = page.i + 1;
  page.title(fmt::format("Query  q = x({})", x));
  if (h.queries.cols == page.trace.inputs.cols) {
    page.explain("No trainable weights: the query is the embedding itself, and so is every key and value:");
    page.explain(fmt::format("q = x({}), k(j) = x(j), v(j) = x(j).", x));
  } else {
    const std::size_t first = head_index * h.queries.cols;
    page.explain(fmt::format("No trainable weights: this head's queries, keys and values are columns d{}…d{}", first,
                             first + h.queries.cols - 1));
    page.explain("of the embeddings.");
  }
  page.line(fmt::format("q = x({}) = {}", x, page.vec(row_of(h.queries, page.i))));
}

}  // namespace

void write_query(FocusPage& page, const HeadTrace& h, std::size_t head_index) {
  if (!h.W_query) {
    write_plain_query(page, h, head_index);
    return;
  }
  const Trace& t = page.trace;
  const std::size_t i = page.i, x = i + 1;
  const Matrix& W = *h.W_query;
  const bool bias = h.b_query.has_value();
  const bool sliced = t.settings.multihead == Multihead::split && t.heads.size() > 1;
  page.title(fmt::format("Query  q = x({}) · W_query{}", x, bias ? " + b_query" : ""));
  page.line(fmt::format("x({}) = {}   {}", x, page.vec(row_of(t.inputs, i)), input_of(t, page.quoted(i))));
  page.explain(fmt::format("Component c of q is x({}) times column c of W_query{}{}:", x,
                           sliced ? " (this head's slice of it)" : "", bias ? ", plus b_query[c]" : ""));
  std::vector<Sum> sums;
  for (std::size_t c : spelled_components(W.cols)) {
    Sum sum{fmt::format("q[{}] = x({})·W_query[:,{}]{}", c, x, c, bias ? fmt::format(" + b[{}]", c) : ""),
            {}, page.num(h.queries(i, c))};
    for (std::size_t k = 0; k < W.rows; ++k) sum.pieces.push_back(page.product(t.inputs(i, k), W(k, c)));
    if (bias) sum.pieces.push_back(page.factor((*h.b_query)[c]));
    sums.push_back(std::move(sum));
  }
  page.spell_components(sums, W.cols);
  page.line(fmt::format("q = {}", page.vec(row_of(h.queries, i))));
  page.explain(fmt::format("Keys and values are made alike: k(j) = x(j) · W_key{}, v(j) = x(j) · W_value{}.",
                           bias ? " + b_key" : "", bias ? " + b_value" : ""));
}

void write_scores(FocusPage& page, const HeadTrace& h) {
  const std::size_t i = page.i;
  const std::size_t n = page.trace.tokens.size();
  const std::size_t d = h.queries.cols;
  page.title(fmt::format("Scores  ω({},j) = q · k(j), one product per dimension, summed", i + 1));
  // Pad "ω(i,j)" so the "=" after it lines up when j reaches two digits.
  const std::size_t name_width = display_width(fmt::format("ω({},{})", i + 1, n));
  std::vector<Sum> sums;
  for (std::size_t j = 0; j < n; ++j) {
    const std::string name = pad_right(fmt::format("ω({},{})", i + 1, j + 1), name_width);
    Sum sum{fmt::format("{} = q({})·k({})", name, page.quoted(i), page.quoted(j)), {}, page.num(h.attn_scores(i, j))};
    for (std::size_t k = 0; k < d; ++k) sum.pieces.push_back(page.product(h.queries(i, k), h.keys(j, k)));
    sums.push_back(std::move(sum));
  }
  page.spell_all(sums);
}

}  // namespace attn
