// compare.hpp: the runs a comparison needs, computed by the engine.
//
// A comparison puts one setting side by side with its alternatives. These
// functions only call explore() several times with the learner's request,
// changing the setting compared (and, for the extra examples, the few settings
// documented below); renderers (render_compare.hpp) read the traces. Nothing
// here prints, and nothing here computes attention itself.
#pragma once

#include "attn/embedding_table.hpp"
#include "attn/explorer.hpp"
#include "attn/trace.hpp"

namespace attn {

// --compare scale: the learner's run with and without the division by √d_k,
// and the same sentence again at a larger d_k (projection rand, d_out =
// kLargeDk, same seed), where the difference is much larger.
inline constexpr std::size_t kLargeDk = 64;

// What --compare (and a lesson step's "compare") puts side by side.
enum class Comparison {
  scale,    // with and without the division by √d_k: compare_scale()
  softmax,  // the three normalisations: compare_softmax()
};
inline constexpr Named<Comparison> kComparisonNames[] = {{Comparison::scale, "scale"}, {Comparison::softmax, "softmax"}};
inline const char* to_string(Comparison c) { return name_of(kComparisonNames, c); }

struct ScaleComparison {
  Trace scaled, unscaled;              // the learner's settings, scale on and off
  Trace scaled_large, unscaled_large;  // the same at d_k = kLargeDk
};

// scaled / unscaled: the learner's request with scale forced on / off (whatever
// --no-scale said); every other setting as requested.
// scaled_large / unscaled_large: the same sentence, seed, causal mask and
// dropout, but projection rand, d_out = kLargeDk, one head (so that every
// head really has d_k = kLargeDk), no bias, and the stable softmax: the sum
// normalisation is blind to scaling (the factor cancels in x / Σx) and the
// naive softmax may overflow at this width, which is --compare softmax's story.
// REQUIRES: whatever explore() requires of `request` and `table`.
// Throws what explore() throws.
ScaleComparison compare_scale(const Request& request, const EmbeddingTable& table);

// --compare softmax: the three normalisations (sum, naive, stable) on the
// learner's run, then on a small example whose scores are large enough for
// the naive softmax to overflow (the bundled table overflow.json, projection
// none, no scaling).
struct SoftmaxComparison {
  Trace sum, naive, stable;
  Trace overflow_sum, overflow_naive, overflow_stable;
};

// The bundled table of the overflow example (found with find_data_file) and
// the sentence it is made for: every word of it is in the table.
inline constexpr const char* kOverflowTable = "overflow.json";
inline constexpr const char* kOverflowSentence = "Big numbers break naive softmax";

// sum / naive / stable: the learner's request with only the softmax changed.
// overflow_*: kOverflowSentence on `overflow_table` with projection none,
// scaling off, one head, no mask, no dropout, and each softmax in turn.
// REQUIRES: whatever explore() requires of `request` and `table`;
// `overflow_table` holds every word of kOverflowSentence (else DataError).
SoftmaxComparison compare_softmax(const Request& request, const EmbeddingTable& table,
                                  const EmbeddingTable& overflow_table);

}  // namespace attn
