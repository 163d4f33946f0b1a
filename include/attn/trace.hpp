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

// The checkpoint a model run read (Projection::model): GPT-2's config.json.
struct ModelInfo {
  std::string name;         // the model folder's name ("gpt2", "demo")
  std::size_t n_layer = 0;  // blocks
  std::size_t n_head = 0;   // heads per block
  std::size_t n_embd = 0;   // width of the residual stream
  std::size_t vocab_size = 0;
  std::size_t n_positions = 0;  // the longest sentence the model reads
  std::optional<std::size_t> snapshot;  // --snapshot: the training step of the weights run (snapshots.hpp)
};

// A LayerNorm of a model's block: y = (x − mean) / √(variance + ε) · weight + bias, row by
// row, the variance without Bessel's correction (torch's LayerNorm, GPT-2's ln_1 and ln_2).
struct LayerNormTrace {
  std::vector<float> mean, variance;  // n: each token's, over its n_embd numbers
  std::vector<float> std;             // n: √(variance + ε), what each row is divided by
  std::vector<float> weight, bias;    // n_embd: the gain and the shift
  float epsilon = 1e-5f;
};

// The rest of a model's block, after its attention (a model run with one layer):
//   residual   = input + output (the attention's)
//   ln_2       = LayerNorm(residual)
//   mlp_hidden = gelu(ln_2 · c_fc + b)          (the tanh approximation)
//   mlp_output = mlp_hidden · c_proj + b
//   block_output (Trace) = residual + mlp_output, the next block's input
struct BlockTrace {
  Matrix input;             // n × n_embd: the residual stream into the block
  LayerNormTrace ln_1;      // its output is Trace::inputs
  Matrix residual;          // n × n_embd
  LayerNormTrace ln_2;
  Matrix ln_2_output;       // n × n_embd
  Matrix mlp_hidden;        // n × 4·n_embd
  Matrix mlp_output;        // n × n_embd
};

// One of the most likely next tokens after the sentence (a model run).
struct NextToken {
  std::string token;  // readable, as Trace::tokens
  int id = 0;
  float probability = 0.0f;
};

// One step of --generate: the tokens most likely to come next, the draw, and the token it chose.
struct GenerationStep {
  std::vector<NextToken> top;  // the --top list at this step: softmax(logits / temperature)
  float draw = 0.0f;           // u, torch.rand(1)'s draw, in [0, 1)
  NextToken chosen;            // its probability as in `top`
  float share = 0.0f;          // its probability among the --top-k kept, renormalised
  float cumulative = 0.0f;     // the kept shares up to and including it: u < cumulative
};

struct Generation {
  std::uint64_t seed = 0;           // torch.manual_seed before the first draw
  std::size_t top_k = 0;            // sampled among the K most likely (0: every token)
  std::size_t prompt_tokens = 0;    // the tokens of the sentence; the rest were generated
  std::vector<GenerationStep> steps;
};

// What a token is, beyond its text. A table run's token is known or not in
// the table (then its vector is hashed from its spelling, or zeros: --oov); a
// model run's token is a whole word (or character run) of the tokenizer's
// vocabulary, a piece of a word BPE split into several tokens, or bytes that
// are not a whole character (part of one split across tokens).
enum class TokenKind { known, hashed, zero, piece, bytes };

// The trace's names of the kinds ("token_kinds" in docs/trace-format.md).
inline const char* token_kind_name(TokenKind k) {
  switch (k) {
    case TokenKind::known: return "known";
    case TokenKind::hashed: return "hashed";
    case TokenKind::zero: return "zero";
    case TokenKind::piece: return "piece";
    case TokenKind::bytes: return "bytes";
  }
  return "known";
}

inline std::optional<TokenKind> token_kind_named(const std::string& name) {
  for (TokenKind k : {TokenKind::known, TokenKind::hashed, TokenKind::zero, TokenKind::piece, TokenKind::bytes})
    if (name == token_kind_name(k)) return k;
  return std::nullopt;
}

struct Trace {
  std::string sentence;
  std::vector<std::string> tokens;
  std::vector<TokenKind> token_kinds;   // one per token (empty in a trace written before they were recorded: all known)
  std::vector<std::string> oov_tokens;  // tokens the table lacked
  std::vector<std::string> dimension_names;  // the table's names of X's columns ("dimensions"), or none: d0, d1, ...
  Settings settings;
  Matrix inputs;                        // n × d_in, the token embeddings X (+ the position encoding)
  // --positions sinusoidal: inputs = token_embeddings + position_encoding, both n × d_in.
  std::optional<Matrix> token_embeddings, position_encoding;
  std::vector<HeadTrace> heads;
  std::optional<Matrix> concatenated;   // n × (heads · head_dim): the heads' context vectors side by side (heads > 1)
  std::optional<OutProj> out_proj;      // split heads only
  Matrix output;                        // the module's final output
  std::vector<std::string> warnings;    // values that are not finite, by stage and row (numeric_check.hpp)

  // A model run (settings.projection == Projection::model) also has:
  std::optional<ModelInfo> model;
  std::vector<int> token_ids;            // the tokenizer's ids, one per token
  std::optional<std::size_t> layer;      // the block shown, from 1; nothing with --layer all
  std::optional<BlockTrace> block;       // that block's input, its ln_1, and its stages after the attention
  std::optional<Matrix> block_output;    // n × n_embd: the residual stream after that block
  std::vector<NextToken> next_tokens;    // the most likely tokens after the last, most likely first
  float temperature = 1.0f;              // next_tokens' probabilities are softmax(logits / temperature)
  // --layer all: every block's every head's attn_weights, [layer][head], n × n each.
  std::vector<std::vector<Matrix>> layer_weights;
  // --lens: what the model would predict after the embeddings (lens[0]) and after each block
  // (lens[l]): at every position, the top tokens of ln_f and the tied embedding applied to the
  // residual stream there, softmax(logits / temperature). lens.back().back() == next_tokens.
  std::vector<std::vector<std::vector<NextToken>>> lens;  // [n_layer + 1][n][top]
  // --generate: the tokens sampled after the sentence's, which `tokens` ends with.
  std::optional<Generation> generation;
};

}  // namespace attn
