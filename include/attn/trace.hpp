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

namespace attn {

// How Q, K and V are made from X.
enum class Projection {
  none,    // Q = K = V = X: the book's simplified attention without trainable weights
  rand,    // W_* = torch.rand(d_in, d_out) each, after torch.manual_seed(seed) (SelfAttention_v1)
  linear,  // W_* = nn.Linear(d_in, d_out, bias) each, after torch.manual_seed(seed) (SelfAttention_v2)
  table,   // W_* read from the embedding table's "weights"
};

// How a row of scores becomes a row of weights.
enum class Softmax {
  stable,  // exp(x - max) / sum: torch.softmax
  naive,   // exp(x) / sum exp(x): the book's softmax_naive, which can overflow
  sum,     // x / sum(x): the book's first normalisation
};

// How the causal mask is applied.
enum class CausalMethod {
  inf,     // scores above the diagonal set to -inf before the softmax
  renorm,  // softmax, zero above the diagonal, divide each row by its new sum
};

// How several heads are combined.
enum class Multihead {
  wrapper,  // MultiHeadAttentionWrapper: H independent heads, outputs concatenated
  split,    // MultiHeadAttention: one projection split into H heads, then out_proj
};

const char* to_string(Projection p);
const char* to_string(Softmax s);
const char* to_string(CausalMethod m);
const char* to_string(Multihead m);

// Every setting in force for a run, as it ends up in the trace's "config".
struct Settings {
  std::string table_path;                     // the embedding table file
  std::string table_name;                     // its "name"
  std::string projection_requested = "auto";  // what the user asked for
  Projection projection = Projection::rand;   // what was used
  std::uint64_t seed = 123;                   // torch.manual_seed before any weight is drawn
  std::size_t d_in = 0;
  std::size_t d_out = 0;     // columns of W_query (per head for wrapper, in all for split)
  std::size_t heads = 1;
  Multihead multihead = Multihead::wrapper;
  std::size_t head_dim = 0;  // columns each head works with: d_out (wrapper) or d_out / heads (split)
  bool qkv_bias = false;
  bool scale = true;         // divide the scores by sqrt(head_dim)
  Softmax softmax = Softmax::stable;
  bool causal = false;
  CausalMethod causal_method = CausalMethod::inf;
  double dropout = 0.0;
  std::optional<std::uint64_t> dropout_seed;  // re-seed after the weights, before the first mask
  std::string oov = "hash";
};

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
