// trace.hpp: every stage of one attention run, kept as plain values.
//
// The engine fills a Trace; renderers (tables, JSON, ...) only read it. A Trace
// promises: inputs is n × d_in; for each head, queries/keys/values and context
// are n × d_out, the score, scaled-score and weight matrices are n × n (row i is
// query token i, column j is key token j); output is the module's final output.
// Names follow the book (Raschka, ch. 3): attn_scores, attn_weights, context_vec.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "attn/matrix.hpp"

namespace attn {

// How Q, K and V are made from X.
enum class Projection {
  none,   // Q = K = V = X: the book's simplified attention without trainable weights
  rand,   // W_* = torch.rand(d_in, d_out) each, after torch.manual_seed(seed)
  table,  // W_* read from the embedding table's "weights"
};

const char* to_string(Projection p);

// Every setting in force for a run, as it ends up in the trace's "config".
struct Settings {
  std::string table_path;       // the embedding table file
  std::string table_name;       // its "name"
  std::string projection_requested = "auto";  // what the user asked for (auto, none, rand, table)
  Projection projection = Projection::rand;   // what was used
  std::uint64_t seed = 123;
  std::size_t d_in = 0;
  std::size_t d_out = 0;
  bool scale = true;            // divide the scores by sqrt(d_k)
  std::string softmax = "stable";
  std::string oov = "hash";
};

// One attention head: its parameters and every intermediate matrix.
struct HeadTrace {
  std::optional<Matrix> W_query, W_key, W_value;  // d_in × d_out; empty for Projection::none
  Matrix queries;        // n × d_out   X · W_query
  Matrix keys;           // n × d_out   X · W_key
  Matrix values;         // n × d_out   X · W_value
  Matrix attn_scores;    // n × n       queries · keysᵀ
  float scale_divisor = 1.0f;  // sqrt(d_k), or 1 without scaling
  Matrix scaled_scores;  // n × n       attn_scores / scale_divisor
  Matrix attn_weights;   // n × n       softmax of each row of scaled_scores
  Matrix context_vec;    // n × d_out   attn_weights · values
};

struct Trace {
  std::string sentence;
  std::vector<std::string> tokens;
  std::vector<std::string> oov_tokens;  // tokens the table lacked
  Settings settings;
  Matrix inputs;                        // n × d_in, the token embeddings X
  std::vector<HeadTrace> heads;
  Matrix output;                        // n × d_out
};

}  // namespace attn
