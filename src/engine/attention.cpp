// The engine. Read it next to chapter 3 of "Build a Large Language Model (From
// Scratch)": every pass below is one step of the chapter, in the same order.
// n = number of tokens, d_in = embedding width, d_out = width of q, k and v.
#include "attention.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "matmul.hpp"
#include "softmax_into.hpp"

namespace attn {

namespace {

constexpr float kMinusInfinity = -std::numeric_limits<float>::infinity();

// x · W (+ b) for every row of x: (n × d_in) · (d_in × d_out) → n × d_out.
Matrix project(const Matrix& x, const Matrix& W, const std::optional<std::vector<float>>& b) {
  Matrix out(x.rows, W.cols);
  multiply_add(x, W, out);
  if (b) {
    for (std::size_t i = 0; i < out.rows; ++i)
      for (std::size_t j = 0; j < out.cols; ++j) out(i, j) += (*b)[j];
  }
  return out;
}

// mᵀ: (rows × cols) → cols × rows.
Matrix transpose(const Matrix& m) {
  Matrix t(m.cols, m.rows);
  for (std::size_t i = 0; i < m.rows; ++i)
    for (std::size_t j = 0; j < m.cols; ++j) t(j, i) = m(i, j);
  return t;
}

}  // namespace

Matrix concatenate_heads(const std::vector<HeadTrace>& heads) {
  std::vector<std::reference_wrapper<const Matrix>> contexts;
  for (const HeadTrace& head : heads) contexts.emplace_back(head.context_vec);
  return hconcat(contexts);
}

Matrix dropout_mask(TorchGenerator& gen, std::size_t rows, std::size_t cols, double p) {
  // bernoulli_(1 - p): one 64-bit draw per element, its low 53 bits as a fraction.
  Matrix mask(rows, cols);
  for (float& keep : mask.data) {
    const double u = static_cast<double>(gen.random64() & ((std::uint64_t{1} << 53) - 1)) * 0x1.0p-53;
    keep = u < 1.0 - p ? 1.0f : 0.0f;
  }
  return mask;
}

HeadTrace attend_head(const Matrix& inputs, std::optional<Parameters> parameters, const AttentionOptions& options,
                      TorchGenerator* gen) {
  HeadTrace head;
  // pass 1 (3.4.1): queries, keys and values, (n × d_in) · (d_in × d_out) → n × d_out each.
  // Without trainable weights (3.3.1) every token is its own query, key and value.
  if (parameters) {
    attend_projected(head, project(inputs, parameters->W_query, parameters->b_query),
                     project(inputs, parameters->W_key, parameters->b_key),
                     project(inputs, parameters->W_value, parameters->b_value), options, gen);
    // The head keeps the weights it was given, for the tables and the trace (moved, not copied).
    head.W_query = std::move(parameters->W_query);
    head.W_key = std::move(parameters->W_key);
    head.W_value = std::move(parameters->W_value);
    head.b_query = std::move(parameters->b_query);
    head.b_key = std::move(parameters->b_key);
    head.b_value = std::move(parameters->b_value);
  } else {
    attend_projected(head, inputs, inputs, inputs, options, gen);
  }
  return head;
}

void attend_projected(HeadTrace& head, Matrix queries_in, Matrix keys_in, Matrix values_in,
                      const AttentionOptions& options, TorchGenerator* gen) {
  head.queries = std::move(queries_in);
  head.keys = std::move(keys_in);
  head.values = std::move(values_in);
  const std::size_t n = head.queries.rows;
  const Matrix& queries = head.queries;
  const Matrix& keys = head.keys;
  const Matrix& values = head.values;
  const std::size_t d_k = keys.cols;

  // pass 2 (3.3.1, 3.4.1): attention scores ω, query i · key j, n × n. keysᵀ (d_k × n) is
  // made once, so that each score row is summed along contiguous rows of keysᵀ.
  Matrix& attn_scores = head.attn_scores = Matrix(n, n);
  multiply_add(queries, transpose(keys), attn_scores);

  // pass 3 (3.4.1): scale by sqrt(d_k) so that wide vectors do not saturate the softmax, n × n.
  head.scale_divisor = options.scale ? std::sqrt(static_cast<float>(d_k)) : 1.0f;
  Matrix& scaled_scores = head.scaled_scores = Matrix(n, n);
  for (std::size_t i = 0; i < n * n; ++i) scaled_scores.data[i] = attn_scores.data[i] / head.scale_divisor;

  // pass 4 (3.5.1, causal, method inf): hide the future, -inf above the diagonal, n × n.
  const bool mask_before = options.causal && options.causal_method == CausalMethod::inf;
  if (mask_before) {
    Matrix& masked_scores = head.masked_scores.emplace(scaled_scores);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) masked_scores(i, j) = kMinusInfinity;
  }
  const Matrix& to_normalise = mask_before ? *head.masked_scores : scaled_scores;

  // pass 5 (3.3.1, 3.3.2): normalise each row into attention weights α (softmax by default), n × n.
  Matrix& attn_weights = head.attn_weights = Matrix(n, n);
  for (std::size_t i = 0; i < n; ++i) {
    normalise_row_into(to_normalise.row(i), options.softmax, mask_before ? i + 1 : n, attn_weights.row(i));
  }

  // pass 5b (3.5.1, causal, method renorm): zero above the diagonal, divide each row by its new sum, n × n.
  if (options.causal && options.causal_method == CausalMethod::renorm) {
    Matrix& masked_weights = head.masked_weights.emplace(attn_weights);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) masked_weights(i, j) = 0.0f;
      renormalise_causal_into(attn_weights.row(i), i);
    }
  }

  // pass 6 (3.5.2, dropout): drop each weight with probability p, scale the rest by 1/(1 - p), n × n.
  if (options.dropout > 0.0) {
    const Matrix& mask = head.dropout_mask.emplace(dropout_mask(*gen, n, n, options.dropout));
    const float keep_scale = 1.0f / static_cast<float>(1.0 - options.dropout);
    Matrix& dropped = head.dropped_weights.emplace(n, n);
    for (std::size_t i = 0; i < n * n; ++i) dropped.data[i] = attn_weights.data[i] * (mask.data[i] * keep_scale);
  }
  const Matrix& weights_used = head.dropped_weights ? *head.dropped_weights : attn_weights;

  // pass 7 (3.3.1, 3.4.1): context vectors z, the weighted sum of the values, (n × n) · (n × d_out) → n × d_out.
  Matrix& context_vec = head.context_vec = Matrix(n, values.cols);
  multiply_add(weights_used, values, context_vec);
}

ModuleResult attend_module(const Matrix& inputs, ModuleParameters parameters, std::size_t heads,
                           Multihead multihead, const AttentionOptions& options, TorchGenerator* gen) {
  ModuleResult result;
  if (multihead == Multihead::wrapper) {
    // MultiHeadAttentionWrapper (3.6.1): H independent heads, each with its own weights.
    for (std::size_t h = 0; h < heads; ++h) result.heads.push_back(attend_head(inputs, std::move(parameters.heads[h]), options, gen));
  } else {
    // MultiHeadAttention (3.6.2): one projection of d_out columns; head h works on columns
    // [h · head_dim, (h + 1) · head_dim) of the queries, keys and values.
    const std::optional<Parameters>& whole = parameters.heads.front();
    const std::size_t d_out = whole ? whole->W_query.cols : inputs.cols;
    const std::size_t head_dim = d_out / heads;
    for (std::size_t h = 0; h < heads; ++h) {
      if (whole) {
        result.heads.push_back(attend_head(inputs, column_slice(*whole, h * head_dim, head_dim), options, gen));
      } else {  // without weights a head's q, k, v are its columns of X
        result.heads.push_back(attend_head(columns(inputs, h * head_dim, head_dim), std::nullopt, options, gen));
      }
    }
  }

  // concatenate the heads' context vectors side by side, n × (heads · head_dim).
  Matrix concatenated = concatenate_heads(result.heads);

  if (multihead == Multihead::split) {
    // out_proj: output = concatenated · weight + bias, n × d_out.
    result.output = project(concatenated, parameters.out_proj->weight, parameters.out_proj->bias);
  } else {
    result.output = concatenated;
  }
  if (heads > 1) result.concatenated = std::move(concatenated);
  result.out_proj = std::move(parameters.out_proj);
  return result;
}

}  // namespace attn
