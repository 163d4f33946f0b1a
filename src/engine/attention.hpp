// attention.hpp: scaled dot-product self-attention, computed with naive loops.
//
// attend_head() runs one head the way chapter 3 of Raschka's book and the other
// tutorials write it, and keeps every intermediate matrix:
//
//   queries = X · W_query (+ b_query),  keys = X · W_key,  values = X · W_value
//   attn_scores   = queries · keysᵀ                      (ω in the book)
//   scaled_scores = attn_scores / sqrt(d_k)              (d_k = keys' width)
//   causal mask   = -inf above the diagonal, or zero the weights and renormalise
//   attn_weights  = softmax of each row                  (α in the book)
//   dropout       = each weight kept with probability 1 - p, scaled by 1/(1 - p)
//   context_vec   = attn_weights · values                (z in the book)
//
// attend_module() runs the whole module: one head, H heads side by side
// (MultiHeadAttentionWrapper) or one projection split into H heads and then
// out_proj (MultiHeadAttention). All arithmetic is float32, summed left to right.
// Numerical trouble (an overflowing naive softmax, a row of NaN) is kept as it
// comes, as PyTorch would; numeric_check.hpp finds it and says where.
#pragma once

#include <optional>
#include <vector>

#include "attn/matrix.hpp"
#include "parameters.hpp"
#include "torch_random.hpp"
#include "attn/trace.hpp"

namespace attn {

struct AttentionOptions {
  bool scale = true;
  Softmax softmax = Softmax::stable;
  bool causal = false;
  CausalMethod causal_method = CausalMethod::inf;
  double dropout = 0.0;  // REQUIRES: 0 ≤ dropout < 1
};

// One head. The head's trace keeps the weights: they are moved into it (pass
// them with std::move to spare a copy). Dropout masks (when dropout > 0) are drawn from `gen`, row-major
// over the full n × n matrix; with dropout = 0 nothing is drawn, and gen may be null.
// REQUIRES: inputs.rows ≥ 1; parameters, when given, have inputs.cols rows;
//           gen is not null when options.dropout > 0.
HeadTrace attend_head(const Matrix& inputs, std::optional<Parameters> parameters, const AttentionOptions& options,
                      TorchGenerator* gen = nullptr);

// Passes 2 onwards of attend_head(), for queries, keys and values made elsewhere
// (GPT-2's one c_attn projection, split into heads): scores, scaling, the mask,
// the weights, dropout, the context. Fills those fields of `head` and keeps the
// three matrices in it.
// REQUIRES: queries.rows = keys.rows = values.rows ≥ 1; queries.cols = keys.cols;
//           gen is not null when options.dropout > 0 (as attend_head()).
void attend_projected(HeadTrace& head, Matrix queries, Matrix keys, Matrix values,
                      const AttentionOptions& options, TorchGenerator* gen = nullptr);

// nn.Dropout(p) in training mode: a keep (1) / drop (0) mask for a rows × cols
// matrix, one 64-bit draw per element, kept when its 53-bit fraction < 1 - p.
Matrix dropout_mask(TorchGenerator& gen, std::size_t rows, std::size_t cols, double p);

// The module's parameters: one set per head (wrapper), or one set to split,
// plus out_proj (split).
struct ModuleParameters {
  std::vector<std::optional<Parameters>> heads;  // wrapper: H sets; split: 1 set
  std::optional<OutProj> out_proj;               // split only
};

struct ModuleResult {
  std::vector<HeadTrace> heads;
  std::optional<Matrix> concatenated;  // with more than one head
  Matrix output;
  std::optional<OutProj> out_proj;     // the parameters' out_proj, moved here (split)
};

// REQUIRES: heads ≥ 1; for split, parameters.heads has one entry, out_proj is
// present, and the projection width is divisible by heads; gen is not null when
// options.dropout > 0 (the heads' masks are drawn from it, head after head).
// The parameters move into the result: each head's weights into its trace.
ModuleResult attend_module(const Matrix& inputs, ModuleParameters parameters, std::size_t heads,
                           Multihead multihead, const AttentionOptions& options, TorchGenerator* gen = nullptr);

// The heads' context vectors side by side, n × (Σ head widths): the input of out_proj.
// REQUIRES: heads is not empty; every head has the same n.
Matrix concatenate_heads(const std::vector<HeadTrace>& heads);

}  // namespace attn
