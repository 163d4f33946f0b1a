// memory_budget.hpp: the memory a command line's run may take, and what its output costs.
//
// The engine's estimate (memory_estimate.hpp) counts what a run holds; what the
// CLI then makes of the trace depends on the output asked for, and is the
// budget's text_per_number: bytes per number of the trace, besides the number
// itself. The figures were measured (peak resident size of a Release build,
// runs of 5 to 1500 distinct tokens, 1 to 256 heads) and carry some margin:
//   --json (with or without --trace)  12, up to 15 for small values  → 16
//   the tables at precision p         p + 5 to p + 10 (the text grows by
//                                     doubling), and 16 / heads (one n × n
//                                     matrix's cells are held while it is
//                                     laid out, amortised over the heads) → p + 12 + 16 / heads
//     with colour                     25 to 40 more                    → 44 more
//     with --trace as well            the JSON's                       → 16 more
//   --compare scale (four traces)     17 + 22 / heads; colour 67 more  → 20 + 24 / heads; colour: 80 more
//   --compare softmax (three)         25 + 34 / heads; colour 146 more → 32 + 36 / heads; colour: 180 more
// The JSON's figure depends on the numbers: a sentence of one word repeated
// writes the same short numbers again and again (some 6 bytes each), and its
// estimate is about twice its peak. tests/memory_limits_test.cpp checks that the
// estimate stays above the measured peak and within twice it.
#pragma once

#include "attn/settings.hpp"
#include "cli_options.hpp"

namespace attn {

// The budget for a run of `options`: --max-memory, and its output's cost per
// number. `color`: whether the tables are shaded (--color, or a terminal).
MemoryBudget memory_budget(const MainOptions& options, bool color);

}  // namespace attn
