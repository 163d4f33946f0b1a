// trace.hpp: every stage of one attention run, kept as plain values.
//
// The engine fills a Trace; renderers (tables, JSON, ...) only read it. A Trace
// promises: inputs is n × d_in; for each head, queries/keys/values and context
// are n × head_dim, the score, scaled-score and weight matrices are n × n (row i
// is query token i, column j is key token j); output is the module's final
// output. Names follow the book (Raschka, ch. 3): attn_scores, attn_weights,
// context_vec, W_query.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "attn/matrix.hpp"
#include "attn/settings.hpp"

namespace attn {

// One attention head: its parameters and every intermediate matrix.
struct HeadTrace {
  std::optional<Matrix> W_query, W_key, W_value;        // d_in × head_dim; empty for Projection::none
  std::optional<std::vector<float>> b_query, b_key, b_value;  // head_dim each, with --qkv-bias
  Matrix queries;        // n × head_dim   X · W_query (+ b_query)
  Matrix keys;           // n × head_dim   X · W_key (+ b_key)
  Matrix values;         // n × head_dim   X · W_value (+ b_value)
  Matrix attn_scores;    // n × n          queries · keysᵀ
  float scale_divisor = 1.0f;  // sqrt(d_k), or 1 without scaling
  Matrix scaled_scores;  // n × n          attn_scores / scale_divisor
  std::optional<Matrix> masked_scores;   // causal, method inf: scaled_scores with -inf above the diagonal
  std::optional<Matrix> masked_weights;  // causal, method renorm: softmax with zeros above the diagonal
  Matrix attn_weights;   // n × n          the normalised weights (before dropout)
  std::optional<Matrix> dropout_mask;     // with dropout: 1 where a weight is kept, 0 where dropped
  std::optional<Matrix> dropped_weights;  // with dropout: attn_weights · mask / (1 - p)
  Matrix context_vec;    // n × head_dim   (dropped_weights or attn_weights) · values
};

// MultiHeadAttention's output projection: output = concat · weight + bias.
struct OutProj {
  Matrix weight;             // d_out × d_out, rows are inputs (torch's out_proj.weight transposed)
  std::vector<float> bias;   // d_out
};

struct Trace {
  std::string sentence;
  std::vector<std::string> tokens;
  std::vector<std::string> oov_tokens;  // tokens the table lacked
  Settings settings;
  Matrix inputs;                        // n × d_in, the token embeddings X
  std::vector<HeadTrace> heads;
  std::optional<Matrix> concatenated;   // n × (heads · head_dim): the heads' context vectors side by side (heads > 1)
  std::optional<OutProj> out_proj;      // split heads only
  Matrix output;                        // the module's final output
  std::vector<std::string> warnings;    // values that are not finite, by stage and row (numeric_check.hpp)
};

}  // namespace attn
