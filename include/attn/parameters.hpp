// parameters.hpp: the projection weights W_query, W_key, W_value.
//
// make_parameters() returns them for a projection, each d_in × d_out so that
// Q = X · W_query:
//   Projection::none  - no weights at all (std::nullopt): Q = K = V = X.
//   Projection::rand  - torch.manual_seed(seed), then W_query, W_key, W_value =
//                       torch.rand(d_in, d_out) each, drawn in that order (the
//                       book's section 3.4.1).
//   Projection::table - copied from the table's "weights".
#pragma once

#include <cstdint>
#include <optional>

#include "attn/embedding_table.hpp"
#include "attn/trace.hpp"

namespace attn {

struct Parameters {
  Matrix W_query;  // d_in × d_out
  Matrix W_key;    // d_in × d_out
  Matrix W_value;  // d_in × d_out
};

// REQUIRES: d_in ≥ 1, d_out ≥ 1; for Projection::table, table.weights present
// with d_in rows and d_out columns.
std::optional<Parameters> make_parameters(Projection projection, std::size_t d_in, std::size_t d_out,
                                          std::uint64_t seed, const EmbeddingTable& table);

}  // namespace attn
