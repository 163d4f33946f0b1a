// head_patterns.hpp: what a trained head does, in the words interpretability work uses.
//
// A causal head's weights (n × n, row i a query, zero above the diagonal) are
// read row by row: the key each query attends to most (trace_stats' argmax) is
//   the token before it        → a previous-token head,
//   the first token            → a first-token head (a "sink": weight with nowhere better to go),
//   itself                     → a self head,
//   anything else              → other (perhaps a head that links words, as "it" to "dog").
// Rows 0 and 1 are left out when n > 2 (row 0 can only see itself; in row 1 the
// token before is the first token); with n ≤ 2 only row 0 is.
// classify_head() promises: the counts add up to the rows read, and the pattern
// is the one more than half the rows follow, else Pattern::mixed.
// rows_left_out(n) is how many leading rows are not read.
#pragma once

#include <cstddef>
#include <vector>

#include "attn/matrix.hpp"

namespace attn {

enum class HeadPattern { previous, first, self, other, mixed };

// The rows classify_head() leaves out of an n-token sentence: 2 when n > 2, else 1.
inline std::size_t rows_left_out(std::size_t n) { return n > 2 ? 2 : 1; }

struct HeadProfile {
  HeadPattern pattern = HeadPattern::mixed;
  std::size_t rows = 0;  // the rows read
  std::size_t previous = 0, first = 0, self = 0, other = 0;
  // Of the rows that look at another token: the one with the largest weight
  // there, query → key (what such a head links, "it" → "dog"); other == 0: none.
  std::size_t link_query = 0, link_key = 0;
  float link_weight = 0.0f;
  // The share of rows that follow `pattern` (0 for mixed).
  double share() const;
};

// REQUIRES: weights is square and not empty.
HeadProfile classify_head(const Matrix& weights);

// "previous", "first", "self", "other", "mixed".
const char* to_string(HeadPattern pattern);

// The key query row `i` attends to most over a whole layer: the largest of its
// weights averaged over the layer's heads. REQUIRES: heads not empty, all n × n, i < n.
std::size_t layer_argmax(const std::vector<Matrix>& heads, std::size_t i);

}  // namespace attn
