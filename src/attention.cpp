// The engine. Read it next to chapter 3 of "Build a Large Language Model (From
// Scratch)": every pass below is one step of the chapter, in the same order.
// n = number of tokens, d_in = embedding width, d_out = width of q, k and v.
#include "attn/attention.hpp"

#include <cmath>

namespace attn {

namespace {

// x · W for every row of x: (n × d_in) · (d_in × d_out) → n × d_out.
Matrix project(const Matrix& x, const Matrix& W) {
  Matrix out(x.rows, W.cols);
  for (std::size_t i = 0; i < x.rows; ++i) {
    for (std::size_t j = 0; j < W.cols; ++j) {
      float sum = 0.0f;
      for (std::size_t k = 0; k < x.cols; ++k) sum += x(i, k) * W(k, j);
      out(i, j) = sum;
    }
  }
  return out;
}

}  // namespace

HeadTrace attend(const Matrix& inputs, const std::optional<Parameters>& parameters, bool scale) {
  HeadTrace head;
  const std::size_t n = inputs.rows;

  // pass 1: project the inputs, (n × d_in) · (d_in × d_out) → n × d_out each.
  // Without trainable weights every token is its own query, key and value.
  if (parameters) {
    head.W_query = parameters->W_query;
    head.W_key = parameters->W_key;
    head.W_value = parameters->W_value;
    head.queries = project(inputs, parameters->W_query);
    head.keys = project(inputs, parameters->W_key);
    head.values = project(inputs, parameters->W_value);
  } else {
    head.queries = head.keys = head.values = inputs;
  }
  const Matrix& queries = head.queries;
  const Matrix& keys = head.keys;
  const Matrix& values = head.values;
  const std::size_t d_k = keys.cols;

  // pass 2: attention scores, query i · key j, n × n.
  Matrix attn_scores(n, n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      float dot = 0.0f;
      for (std::size_t k = 0; k < d_k; ++k) dot += queries(i, k) * keys(j, k);
      attn_scores(i, j) = dot;
    }
  }

  // pass 3: scale by sqrt(d_k) so that wide vectors do not saturate the softmax, n × n.
  const float divisor = scale ? std::sqrt(static_cast<float>(d_k)) : 1.0f;
  Matrix scaled_scores(n, n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) scaled_scores(i, j) = attn_scores(i, j) / divisor;
  }

  // pass 4: softmax of each row (max subtracted first, so exp never overflows), n × n.
  Matrix attn_weights(n, n);
  for (std::size_t i = 0; i < n; ++i) {
    float row_max = scaled_scores(i, 0);
    for (std::size_t j = 1; j < n; ++j) row_max = std::fmax(row_max, scaled_scores(i, j));
    float row_sum = 0.0f;
    for (std::size_t j = 0; j < n; ++j) {
      attn_weights(i, j) = std::exp(scaled_scores(i, j) - row_max);
      row_sum += attn_weights(i, j);
    }
    for (std::size_t j = 0; j < n; ++j) attn_weights(i, j) /= row_sum;
  }

  // pass 5: context vectors, the weighted sum of the values, (n × n) · (n × d_out) → n × d_out.
  Matrix context_vec(n, values.cols);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t k = 0; k < values.cols; ++k) context_vec(i, k) += attn_weights(i, j) * values(j, k);
    }
  }

  head.attn_scores = std::move(attn_scores);
  head.scale_divisor = divisor;
  head.scaled_scores = std::move(scaled_scores);
  head.attn_weights = std::move(attn_weights);
  head.context_vec = std::move(context_vec);
  return head;
}

}  // namespace attn
