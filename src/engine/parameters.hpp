// parameters.hpp: the trainable weights, drawn as PyTorch draws them.
//
// All weights are stored d_in × d_out (rows are input dimensions), so that
// Q = X · W_query + b_query, whatever layout PyTorch keeps them in.
//
//   Projection::none   - no weights (std::nullopt): Q = K = V = X.
//   Projection::rand   - W_query, W_key, W_value = torch.rand(d_in, d_out) each,
//                        in that order (the book's SelfAttention_v1).
//   Projection::linear - three nn.Linear(d_in, d_out, bias) in that order (the
//                        book's SelfAttention_v2): each weight, out × in, drawn
//                        from uniform(-1/√d_in, 1/√d_in) as kaiming_uniform_ with
//                        a = √5 computes the bound, then its bias when on; the
//                        weight is stored transposed.
//   Projection::table  - copied from the table's "weights" (no draws).
// Every draw comes from the generator passed in, in the order PyTorch's
// modules are constructed. How many numbers the weights hold is public:
// attn/parameter_count.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "attn/embedding_table.hpp"
#include "attn/parameter_count.hpp"
#include "torch_random.hpp"
#include "attn/trace.hpp"

namespace attn {

struct Parameters {
  Matrix W_query;  // d_in × d_out
  Matrix W_key;    // d_in × d_out
  Matrix W_value;  // d_in × d_out
  std::optional<std::vector<float>> b_query, b_key, b_value;  // d_out each, when biased
};

// nn.Linear(in, out, bias) as PyTorch initialises it: the weight (out × in,
// uniform(-b, b) with b = √3 · √(1/3) / √in, computed as PyTorch computes it),
// then the bias (uniform(-1/√in, 1/√in)). Returns the weight transposed (in × out).
std::pair<Matrix, std::optional<std::vector<float>>> draw_linear(TorchGenerator& gen, std::size_t in,
                                                                 std::size_t out, bool bias);

// REQUIRES: d_in ≥ 1, d_out ≥ 1; for Projection::table, table.weights present
// with d_in rows and d_out columns; qkv_bias only with Projection::linear.
std::optional<Parameters> make_parameters(Projection projection, std::size_t d_in, std::size_t d_out,
                                          bool qkv_bias, const EmbeddingTable& table, TorchGenerator& gen);

// The columns [first, first + count) of every weight and bias: one head's share
// of a projection that is split into heads.
Parameters column_slice(const Parameters& p, std::size_t first, std::size_t count);

}  // namespace attn
