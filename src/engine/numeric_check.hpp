// numeric_check.hpp: where a run's numbers stop being numbers, in words.
//
// float32 ends at ±3.4e38. Huge embeddings or weights overflow the queries or a
// dot product to inf; the book's naive softmax overflows once a score passes
// 88.72 (exp gives inf, and inf / inf is NaN); `--softmax sum` divides by zero
// when a row of scores sums to 0. The engine computes on regardless, as PyTorch
// would, and keeps every value; numeric_warnings() then reads the finished
// trace and says, for each token, the first stage where its row holds a value
// that is not finite, with the likely cause:
//
//   attention scores, row 1 ("big"): 1 value overflowed float32 (inf): a dot
//   product passed 3.4e38, so the queries and keys are too large
//   head 2, attention weights, row 3 ("you"): ... the naive softmax overflowed ...
//
// Promises:
//   - Each token row is named at most once per head, at its first bad stage
//     (stages in the order the engine computes them, then the module output);
//     later stages of that row are not repeated.
//   - The -inf a causal mask puts above the diagonal is expected and never reported.
//   - At most kMaxRowsNamed rows are named per stage and head; one more line
//     counts the rest.
//   - No warnings when every value is finite.
// It computes no attention: it only inspects the Trace.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "attn/trace.hpp"

namespace attn {

inline constexpr std::size_t kMaxRowsNamed = 3;

// REQUIRES: a trace filled by explore(Request, table) (tokens match the matrices' rows).
std::vector<std::string> numeric_warnings(const Trace& trace);

// A model run's warnings, in the order the forward pass computes:
//   - with a recorded layer, numeric_warnings() of it, which for a model also
//     names the layer's "inputs" (its ln_1 output, where a value that is not
//     finite comes from an earlier layer or the checkpoint) before the heads
//     and its "block output" (the MLP and residual sums) after its output;
//   - with every layer's weights (--layer all), the first layer whose weights
//     hold a value that is not finite, at its first row, and a count of the
//     rest of that layer's rows (the later layers read it, so are not named);
//   - the next-token logits (all vocab_size of them, not only the top ones shown)
//     when any is not finite: its softmax is then NaN.
// REQUIRES: a trace filled by explore(ModelRequest, model).
std::vector<std::string> model_numeric_warnings(const Trace& trace, std::span<const float> logits);

}  // namespace attn
