// gpt2_forward.hpp: GPT-2's forward pass, in naive float32 loops like the rest of the engine.
//
// For token ids t_0 … t_{n-1}:
//   h = wte[t_i] + wpe[i]                                        n × n_embd  (wte alone: positions off)
//   for each block:
//     x = ln_1(h)                                                n × n_embd
//     q | k | v = x · c_attn + b                                 n × 3·n_embd
//     head h: its head_dim columns of q, k and v → attend_projected()
//             (scores, / √head_dim, causal mask -inf, softmax, · v)
//     attn = concat(heads) · c_proj + b;        h = h + attn
//     m = gelu(ln_2(h) · c_fc + b) · c_proj + b; h = h + m     (gelu: tanh approximation)
//   logits = ln_f(h_{n-1}) · wteᵀ                                 vocab_size, last token only
//                                                                (final_logits: of any row of the stream)
// A LayerNorm is (x − mean) / √(var + ε) · weight + bias, var without Bessel's correction.
// Promises: every stage of the recorded block is kept as the book's module keeps
// it (ModuleResult), the other blocks' attention weights only when asked.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "attention.hpp"
#include "gpt2_checkpoint.hpp"
#include "linear.hpp"
#include "attn/matrix.hpp"

namespace attn {

struct Gpt2ForwardOptions {
  std::optional<std::size_t> record_layer;  // from 0: keep this block's every stage
  bool all_weights = false;                 // keep every block's every head's attn_weights
  bool stream = false;                      // keep the residual stream after the embeddings and every block
  bool positions = true;                    // add the learned position embeddings (wpe)
};

struct Gpt2Forward {
  Matrix layer_input;                   // the recorded block's ln_1 output, n × n_embd
  ModuleResult attention;               // its heads (with their c_attn columns), concatenated, c_proj output
  BlockTrace block;                     // its stages after the attention (and its input, its ln_1's statistics)
  Matrix block_output;                  // the residual stream after it, n × n_embd
  std::vector<Matrix> stream;           // with stream: n_layer + 1 matrices n × n_embd, [0] the embeddings
  std::vector<std::vector<Matrix>> all_weights;  // [layer][head], with all_weights
  std::vector<float> last_logits;       // vocab_size: the scores of the token after the last
};

// REQUIRES: 1 ≤ ids.size() ≤ n_positions; every id < vocab_size; record_layer < n_layer.
Gpt2Forward gpt2_forward(const Gpt2Checkpoint& model, const std::vector<int>& ids, const Gpt2ForwardOptions& options);

// The scores of the token after a position for every token of the vocabulary: ln_f of its
// row of the residual stream, times the tied embedding wte, vocab_size numbers. The forward
// pass's last_logits are those of its last row; the logit lens applies it to every layer's.
// REQUIRES: row.size() == n_embd.
std::vector<float> final_logits(const Gpt2Checkpoint& model, std::span<const float> row);

// The tied embedding transposed, n_embd × vocab_size, ready for linear(): the logit lens
// scores every position of every layer, and one matrix product per layer is far faster
// than a pass over wte per row. Not copyable (packed points into weight).
struct Unembedding {
  Unembedding() = default;
  Unembedding(Unembedding&&) noexcept = default;
  Unembedding(const Unembedding&) = delete;
  std::vector<float> weight;
  PackedWeights packed;
};
Unembedding unembedding(const Gpt2Checkpoint& model);

// final_logits() of every row of `rows` (n × n_embd) at once, rows × vocab_size: each score
// is the same fused multiply-add chain over k ascending as dot_rows() makes (linear.hpp), so
// the same numbers as row by row. REQUIRES: rows.cols == n_embd; u = unembedding(model).
Matrix final_logits(const Gpt2Checkpoint& model, const Unembedding& u, const Matrix& rows);

}  // namespace attn
