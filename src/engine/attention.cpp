// The engine. Read it next to chapter 3 of "Build a Large Language Model (From
// Scratch)": every pass below is one step of the chapter, in the same order.
// n = number of tokens, d_in = embedding width, d_out = width of q, k and v.
#include "attention.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace attn {

namespace {

constexpr float kMinusInfinity = -std::numeric_limits<float>::infinity();

// x · W (+ b) for every row of x: (n × d_in) · (d_in × d_out) → n × d_out.
Matrix project(const Matrix& x, const Matrix& W, const std::optional<std::vector<float>>& b) {
  Matrix out(x.rows, W.cols);
  for (std::size_t i = 0; i < x.rows; ++i) {
    for (std::size_t j = 0; j < W.cols; ++j) {
      float sum = 0.0f;
      for (std::size_t k = 0; k < x.cols; ++k) sum += x(i, k) * W(k, j);
      out(i, j) = b ? sum + (*b)[j] : sum;
    }
  }
  return out;
}

bool is_masked(bool causal, std::size_t i, std::size_t j) { return causal && j > i; }

// One row of weights from one row of scores, by the chosen normalisation.
// Masked entries (-inf, or left out under the sum normalisation) get weight 0.
void normalise_row(const Matrix& scores, Matrix& weights, std::size_t i, Softmax softmax, bool causal) {
  const std::size_t n = scores.cols;
  switch (softmax) {
    case Softmax::stable: {
      // exp(x - max) / sum: the max keeps every exponent ≤ 0, so nothing overflows.
      float row_max = kMinusInfinity;
      for (std::size_t j = 0; j < n; ++j) row_max = std::fmax(row_max, scores(i, j));
      float row_sum = 0.0f;
      for (std::size_t j = 0; j < n; ++j) {
        weights(i, j) = std::exp(scores(i, j) - row_max);
        row_sum += weights(i, j);
      }
      for (std::size_t j = 0; j < n; ++j) weights(i, j) /= row_sum;
      break;
    }
    case Softmax::naive: {
      // exp(x) / sum exp(x), as the book's softmax_naive: exp overflows above ~88.7.
      float row_sum = 0.0f;
      for (std::size_t j = 0; j < n; ++j) {
        weights(i, j) = std::exp(scores(i, j));
        row_sum += weights(i, j);
      }
      for (std::size_t j = 0; j < n; ++j) weights(i, j) /= row_sum;
      break;
    }
    case Softmax::sum: {
      // x / sum(x): the book's first normalisation, not a softmax (weights can be negative).
      float row_sum = 0.0f;
      for (std::size_t j = 0; j < n; ++j)
        if (!is_masked(causal, i, j)) row_sum += scores(i, j);
      for (std::size_t j = 0; j < n; ++j) weights(i, j) = is_masked(causal, i, j) ? 0.0f : scores(i, j) / row_sum;
      break;
    }
  }
}

}  // namespace

Matrix dropout_mask(TorchGenerator& gen, std::size_t rows, std::size_t cols, double p) {
  // bernoulli_(1 - p): one 64-bit draw per element, its low 53 bits as a fraction.
  Matrix mask(rows, cols);
  for (float& keep : mask.data) {
    const double u = static_cast<double>(gen.random64() & ((std::uint64_t{1} << 53) - 1)) * 0x1.0p-53;
    keep = u < 1.0 - p ? 1.0f : 0.0f;
  }
  return mask;
}

HeadTrace attend_head(const Matrix& inputs, const std::optional<Parameters>& parameters,
                      const AttentionOptions& options, TorchGenerator& gen) {
  HeadTrace head;
  const std::size_t n = inputs.rows;

  // pass 1: project the inputs, (n × d_in) · (d_in × d_out) → n × d_out each.
  // Without trainable weights every token is its own query, key and value.
  if (parameters) {
    head.W_query = parameters->W_query;
    head.W_key = parameters->W_key;
    head.W_value = parameters->W_value;
    head.b_query = parameters->b_query;
    head.b_key = parameters->b_key;
    head.b_value = parameters->b_value;
    head.queries = project(inputs, parameters->W_query, parameters->b_query);
    head.keys = project(inputs, parameters->W_key, parameters->b_key);
    head.values = project(inputs, parameters->W_value, parameters->b_value);
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
  const float divisor = options.scale ? std::sqrt(static_cast<float>(d_k)) : 1.0f;
  Matrix scaled_scores(n, n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) scaled_scores(i, j) = attn_scores(i, j) / divisor;
  }

  // pass 4 (causal, method inf): hide the future, -inf above the diagonal, n × n.
  const Matrix* to_normalise = &scaled_scores;
  if (options.causal && options.causal_method == CausalMethod::inf) {
    Matrix masked_scores = scaled_scores;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) masked_scores(i, j) = kMinusInfinity;
    head.masked_scores = std::move(masked_scores);
    to_normalise = &*head.masked_scores;
  }

  // pass 5: normalise each row into weights (softmax by default), n × n.
  Matrix attn_weights(n, n);
  const bool mask_in_sum = options.causal && options.causal_method == CausalMethod::inf;
  for (std::size_t i = 0; i < n; ++i) normalise_row(*to_normalise, attn_weights, i, options.softmax, mask_in_sum);

  // pass 5b (causal, method renorm): zero above the diagonal, divide each row by its new sum, n × n.
  if (options.causal && options.causal_method == CausalMethod::renorm) {
    Matrix masked_weights = attn_weights;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) masked_weights(i, j) = 0.0f;
    for (std::size_t i = 0; i < n; ++i) {
      float row_sum = 0.0f;
      for (std::size_t j = 0; j < n; ++j) row_sum += masked_weights(i, j);
      for (std::size_t j = 0; j < n; ++j) attn_weights(i, j) = masked_weights(i, j) / row_sum;
    }
    head.masked_weights = std::move(masked_weights);
  }

  // pass 6 (dropout): drop each weight with probability p, scale the rest by 1/(1 - p), n × n.
  const Matrix* weights_used = &attn_weights;
  if (options.dropout > 0.0) {
    Matrix mask = dropout_mask(gen, n, n, options.dropout);
    const float keep_scale = 1.0f / static_cast<float>(1.0 - options.dropout);
    Matrix dropped(n, n);
    for (std::size_t i = 0; i < n * n; ++i) dropped.data[i] = attn_weights.data[i] * (mask.data[i] * keep_scale);
    head.dropout_mask = std::move(mask);
    head.dropped_weights = std::move(dropped);
    weights_used = &*head.dropped_weights;
  }

  // pass 7: context vectors, the weighted sum of the values, (n × n) · (n × d_out) → n × d_out.
  Matrix context_vec(n, values.cols);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t k = 0; k < values.cols; ++k) context_vec(i, k) += (*weights_used)(i, j) * values(j, k);
    }
  }

  head.attn_scores = std::move(attn_scores);
  head.scale_divisor = divisor;
  head.scaled_scores = std::move(scaled_scores);
  head.attn_weights = std::move(attn_weights);
  head.context_vec = std::move(context_vec);
  return head;
}

ModuleResult attend_module(const Matrix& inputs, const ModuleParameters& parameters, std::size_t heads,
                           Multihead multihead, const AttentionOptions& options, TorchGenerator& gen) {
  ModuleResult result;
  if (multihead == Multihead::wrapper) {
    // MultiHeadAttentionWrapper: H independent heads, each with its own weights.
    for (std::size_t h = 0; h < heads; ++h) result.heads.push_back(attend_head(inputs, parameters.heads[h], options, gen));
  } else {
    // MultiHeadAttention: one projection of d_out columns; head h works on columns
    // [h · head_dim, (h + 1) · head_dim) of the queries, keys and values.
    const std::optional<Parameters>& whole = parameters.heads.front();
    const std::size_t d_out = whole ? whole->W_query.cols : inputs.cols;
    const std::size_t head_dim = d_out / heads;
    for (std::size_t h = 0; h < heads; ++h) {
      if (whole) {
        result.heads.push_back(attend_head(inputs, column_slice(*whole, h * head_dim, head_dim), options, gen));
      } else {
        Matrix slice(inputs.rows, head_dim);  // without weights a head's q, k, v are its columns of X
        for (std::size_t i = 0; i < inputs.rows; ++i)
          for (std::size_t c = 0; c < head_dim; ++c) slice(i, c) = inputs(i, h * head_dim + c);
        result.heads.push_back(attend_head(slice, std::nullopt, options, gen));
      }
    }
  }

  // concatenate the heads' context vectors side by side, n × (heads · head_dim).
  const std::size_t n = inputs.rows;
  const std::size_t head_dim = result.heads.front().context_vec.cols;
  Matrix concatenated(n, heads * head_dim);
  for (std::size_t h = 0; h < heads; ++h)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t c = 0; c < head_dim; ++c) concatenated(i, h * head_dim + c) = result.heads[h].context_vec(i, c);

  if (multihead == Multihead::split) {
    // out_proj: output = concatenated · weight + bias, n × d_out.
    result.output = project(concatenated, parameters.out_proj->weight, parameters.out_proj->bias);
  } else {
    result.output = concatenated;
  }
  if (heads > 1) result.concatenated = std::move(concatenated);
  return result;
}

}  // namespace attn
