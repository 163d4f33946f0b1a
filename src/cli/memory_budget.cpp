#include "memory_budget.hpp"

#include <cstdint>

#include "run_plan.hpp"

namespace attn {

namespace {

// Bytes per number of the trace: `base`, and `per_heads` shared by the heads.
std::uint64_t cost(std::uint64_t base, std::uint64_t per_heads, std::uint64_t heads) {
  return base + (per_heads + heads - 1) / heads;
}

// The JSON trace and the tables are written as they are made (text_sink.hpp):
// what a run holds besides its numbers is the engine's working copies.
constexpr std::uint64_t kStreamed = 3;
// --svg: about 100 to 180 bytes a weight, and a head holds some 5 numbers per weight → 40.
constexpr std::uint64_t kSvg = 40;
// --html: the page is written as it is drawn (issue 25.3), but the numbers of each
// row's normalisation and a picture's pixels, PNG and base64 are held for a while:
// 3.6 bytes a number measured at 2,048 tokens (104.7 MiB against the tables' 60) → 6.
constexpr std::uint64_t kHtml = 6;
constexpr std::uint64_t kScale = 20, kScaleCells = 24, kScaleColor = 80;
constexpr std::uint64_t kSoftmax = 32, kSoftmaxCells = 36, kSoftmaxColor = 180;

}  // namespace

MemoryBudget memory_budget(std::uint64_t limit, std::size_t heads, std::optional<Comparison> compare,
                           const RunOutputs& outputs, bool color) {
  MemoryBudget budget;
  budget.limit = limit;
  heads = heads == 0 ? 1 : heads;
  if (compare == Comparison::scale) {
    budget.text_per_number = cost(kScale, kScaleCells, heads) + (color ? kScaleColor : 0);
  } else if (compare == Comparison::softmax) {
    budget.text_per_number = cost(kSoftmax, kSoftmaxCells, heads) + (color ? kSoftmaxColor : 0);
  } else {
    budget.text_per_number = kStreamed;  // --json, the tables, --trace: whatever the colour and precision
  }
  if (!outputs.svg_file.empty()) budget.text_per_number += kSvg;
  if (!outputs.html_file.empty()) budget.text_per_number += kHtml;
  return budget;
}

}  // namespace attn
