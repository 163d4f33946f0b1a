#include "memory_budget.hpp"

#include <cstdint>

namespace attn {

namespace {

// Bytes per number of the trace: `base`, and `per_heads` shared by the heads.
std::uint64_t cost(std::uint64_t base, std::uint64_t per_heads, std::uint64_t heads) {
  return base + (per_heads + heads - 1) / heads;
}

constexpr std::uint64_t kJson = 16;
// --svg: about 100 to 180 bytes a weight, and a head holds some 5 numbers per weight → 40.
constexpr std::uint64_t kSvg = 40;
constexpr std::uint64_t kTables = 12, kTablesCells = 16, kTablesColor = 44;  // and the precision
constexpr std::uint64_t kScale = 20, kScaleCells = 24, kScaleColor = 80;
constexpr std::uint64_t kSoftmax = 32, kSoftmaxCells = 36, kSoftmaxColor = 180;

}  // namespace

MemoryBudget memory_budget(const MainOptions& o, bool color) {
  MemoryBudget budget;
  budget.limit = o.max_memory;
  const std::uint64_t heads = o.heads == 0 ? 1 : o.heads;
  if (o.compare == "scale") {
    budget.text_per_number = cost(kScale, kScaleCells, heads) + (color ? kScaleColor : 0);
  } else if (o.compare == "softmax") {
    budget.text_per_number = cost(kSoftmax, kSoftmaxCells, heads) + (color ? kSoftmaxColor : 0);
  } else if (o.json) {
    budget.text_per_number = kJson;
  } else {
    budget.text_per_number = cost(kTables + static_cast<std::uint64_t>(o.precision), kTablesCells, heads) +
                             (color ? kTablesColor : 0) + (o.trace_file.empty() ? 0 : kJson);
  }
  if (!o.svg_file.empty()) budget.text_per_number += kSvg;
  return budget;
}

}  // namespace attn
