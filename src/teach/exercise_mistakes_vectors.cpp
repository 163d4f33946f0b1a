// The usual mistakes with the vectors around attention: query (q = x·W_query)
// and output (the heads joined, then out_proj).
#include "exercise_mistakes.hpp"

#include <fmt/format.h>

namespace attn {

void Mistakes::query() {
  const HeadTrace& h = head();
  add("W_key instead of W_query",
      fmt::format("That is the key of {}, x·W_key: the query multiplies the embedding by W_query.", tok(t())),
      vector_answer(row_of(h.keys, t())));
  add("W_value instead of W_query",
      fmt::format("That is the value of {}, x·W_value: the query multiplies the embedding by W_query.", tok(t())),
      vector_answer(row_of(h.values, t())));
  add("embedding instead of query",
      fmt::format("That is the embedding x({}) itself: multiply it by W_query.", tr().tokens[t()]),
      vector_answer(row_of(tr().inputs, t())));
  if (h.b_query) {
    std::vector<float> q = row_of(h.queries, t());
    for (std::size_t c = 0; c < q.size(); ++c) q[c] -= (*h.b_query)[c];
    add("bias left out", "That is x·W_query without the bias: add b_query.", vector_answer(q));
  }
  if (h.W_query && h.W_query->rows == h.W_query->cols) {
    const Matrix& W = *h.W_query;
    std::vector<float> q(W.rows, 0.0f);
    for (std::size_t c = 0; c < W.rows; ++c) {
      for (std::size_t i = 0; i < W.cols; ++i) q[c] += tr().inputs(t(), i) * W(c, i);
      if (h.b_query) q[c] += (*h.b_query)[c];
    }
    add("W_query transposed",
        "That multiplies by W_query transposed: its rows are the input dimensions, so component c is x · (column c "
        "of W_query).",
        vector_answer(q));
  }
  wrong_rows_vector(h.queries, "query");
}

void Mistakes::output() {
  const Trace& r = tr();
  const HeadTrace& h = head();
  const std::size_t heads = r.heads.size();
  if (r.out_proj) {
    const std::vector<float> joined = row_of(r.concatenated ? *r.concatenated : h.context_vec, t());
    add("before out_proj",
        fmt::format("That is the {} of {}, before out_proj: multiply it by out_proj's weight and add its bias.",
                    heads > 1 ? "heads' context vectors side by side" : "context vector", tok(t())),
        vector_answer(joined));
    std::vector<float> no_bias = weighted_sum(joined, r.out_proj->weight);
    add("out_proj bias left out", "That is the row times out_proj's weight without its bias: add the bias.",
        vector_answer(no_bias));
  }
  if (heads > 1) {
    add("only head 1",
        fmt::format("That is head 1's context vector only: the output puts the {} heads' context vectors side by "
                    "side{}.",
                    heads, r.out_proj ? ", then applies out_proj" : ""),
        vector_answer(row_of(h.context_vec, t())));
  }
  pipeline_reruns();
  wrong_rows_vector(r.output, "output");
}

}  // namespace attn
