// softmax_into.hpp: the engine's softmax written into a row it already holds.
//
// attend_head() normalises each row of attn_weights in place, so that no row is
// allocated; the numbers are those of normalise_row() (attn/softmax.hpp), the same
// function body. Private to the engine.
#pragma once

#include <cstddef>
#include <span>

#include "attn/softmax.hpp"

namespace attn {

// The same normalisation written into `weights` (the engine's own row of
// attn_weights, so that no row is allocated), and its numerators into
// `numerators` when that is not empty. Returns the max and the sum.
// REQUIRES: weights.size() = scores.size(); numerators empty or of that size.
struct RowSums {
  float max = 0.0f;  // as RowNormalisation::max
  float sum = 0.0f;  // as RowNormalisation::sum
};
RowSums normalise_row_into(std::span<const float> scores, Softmax softmax, std::size_t visible,
                           std::span<float> weights, std::span<float> numerators = {});

// renormalise_causal() on a row in place.
// REQUIRES: i < weights.size().
void renormalise_causal_into(std::span<float> weights, std::size_t i);

}  // namespace attn
