// memory_budget.hpp: the memory a command line's run may take, and what its output costs.
//
// The engine's estimate (memory_estimate.hpp) counts what a run holds; what the
// CLI then makes of the trace depends on the output asked for, and is the
// budget's text_per_number: bytes per number of the trace, besides the number
// itself. The figures were measured (peak resident size of a Release build,
// runs of 5 to 2048 tokens, 1 to 64 heads) and carry some margin:
//   --json, --trace, the tables      written as they are made (issue 16.3): no
//                                    text is held but a 64 KiB piece and a row;
//                                    the engine's working copies and the heap's
//                                    slack, up to 2.5                  → 3
//   --compare scale (four traces)     17 + 22 / heads; colour 67 more  → 20 + 24 / heads; colour: 80 more
//   --compare softmax (three)         25 + 34 / heads; colour 146 more → 32 + 36 / heads; colour: 180 more
//   --svg                             the picture is made whole        → 40 more
//   --html                            written as it is drawn, 3.6      → 6 more
//                                     (serve holds the page whole: 38 to 41 → 50 more again, service.cpp)
// tests/memory_limits_test.cpp checks that the estimate stays above the
// measured peak and within twice it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "attn/settings.hpp"
#include "attn/compare.hpp"

namespace attn {

struct RunOutputs;

// The budget for a run: `limit` (--max-memory, in bytes), and the cost per number
// of its outputs: a --compare of `heads` heads, or one trace written as
// `outputs` asks. `color`: whether the tables are shaded (--color, or a terminal).
MemoryBudget memory_budget(std::uint64_t limit, std::size_t heads, std::optional<Comparison> compare,
                           const RunOutputs& outputs, bool color);

}  // namespace attn
