// compare.hpp: the runs a comparison needs, computed by the engine.
//
// A comparison puts one setting side by side with its alternatives. These
// functions only call explore() several times with the learner's request,
// changing the one setting compared; renderers (render_compare.hpp) read the
// traces. Nothing here prints.
#pragma once

#include "attn/embedding_table.hpp"
#include "attn/explorer.hpp"
#include "attn/trace.hpp"

namespace attn {

// --compare scale: the learner's run with and without the division by √d_k,
// and the same sentence again at a larger d_k (projection rand, d_out =
// kLargeDk, same seed), where the difference is much larger.
inline constexpr std::size_t kLargeDk = 64;

struct ScaleComparison {
  Trace scaled, unscaled;              // the learner's settings, scale on and off
  Trace scaled_large, unscaled_large;  // the same at d_k = kLargeDk
};

// REQUIRES: whatever explore() requires of `request` and `table`.
ScaleComparison compare_scale(const Request& request, const EmbeddingTable& table);

// --compare softmax: the three normalisations (sum, naive, stable) on the
// learner's run, then on a small example whose scores are large enough for
// the naive softmax to overflow (the bundled table overflow.json, projection
// none, no scaling).
struct SoftmaxComparison {
  Trace sum, naive, stable;
  Trace overflow_sum, overflow_naive, overflow_stable;
};

SoftmaxComparison compare_softmax(const Request& request, const EmbeddingTable& table,
                                  const EmbeddingTable& overflow_table);

}  // namespace attn
