// trace_stats.hpp: summaries of a Trace's rows, the numbers a comparison
// (--compare) quotes.
//
// A comparison does not show attention only; it says how two runs differ:
// how spread out each row's softmax input is, how peaked its weights are
// (entropy, largest weight), whether rows sum to 1, where the naive softmax
// overflows. These functions compute those summaries from a Trace the engine
// filled, so that the renderers only lay them out. They read; they never run
// attention or change a Trace.
//
// Conventions: statistics are accumulated in double from the float32 values of
// the Trace; entropy is H = −Σ α ln α in nats (0 for a one-hot row, ln n for a
// uniform one, terms with α = 0 left out). "Visible" keys are those a row may
// attend to: all n, or i + 1 under the causal mask.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "attn/matrix.hpp"
#include "attn/settings.hpp"
#include "attn/trace.hpp"

namespace attn {

// A row "sums to 1" when its sum is this close to 1 (n float32 roundings of ~6e-8 each).
inline constexpr double kSumTolerance = 1e-5;

// How many keys row i may attend to: all n, or i + 1 under the causal mask.
std::size_t visible_keys(const Settings& settings, std::size_t i, std::size_t n);

// One row of one head.
struct RowStats {
  // The entropy in nats; none when the row is not a distribution (a weight negative or not finite).
  std::optional<double> entropy;
  double largest = 0.0;  // the largest weight; NaN when the row has a NaN
  double spread = 0.0;   // standard deviation of the softmax input (scaled scores) over the visible keys
};

// REQUIRES: i < h.attn_weights.rows; `settings` are the settings of the run `h` belongs to.
RowStats row_stats(const Settings& settings, const HeadTrace& h, std::size_t i);

// Means over every row of some heads of a run.
struct RunStats {
  std::optional<double> entropy;  // none when any row's entropy is
  double largest = 0.0, spread = 0.0;
  double uniform_entropy = 0.0, uniform_largest = 0.0;  // what equal weights over the visible keys would give
};

// The mean over every row of `heads` (all 0 when there is no row).
// REQUIRES: the heads belong to one run, whose settings are `settings`.
RunStats run_stats(const Settings& settings, const std::vector<const HeadTrace*>& heads);

// The mean over every row of every head of `trace`.
RunStats run_stats(const Trace& trace);

// Each row's sum (accumulated in double, returned in float32).
std::vector<float> row_sums(const Matrix& weights);

// What the rows of a weight matrix show, as lists of row indices (ascending).
struct RowChecks {
  std::vector<std::size_t> non_finite;  // a weight is nan or ±inf
  std::vector<std::size_t> not_one;     // finite, but the sum is further than kSumTolerance from 1
  std::vector<std::size_t> negative;    // a finite weight below 0
  std::vector<std::size_t> above_one;   // a finite weight above 1
};
RowChecks check_rows(const Matrix& weights);

// Where two normalisations of the same scores (naive and stable softmax) differ.
struct Agreement {
  std::vector<std::size_t> broken;  // rows where either has a weight that is not finite
  double largest_gap = 0.0;         // the largest |a − b| over the finite pairs
};
// REQUIRES: a and b have the same shape.
Agreement compare_weights(const Matrix& a, const Matrix& b);

// Where exp overflows float32: the scores above ln(FLT_MAX) ≈ 88.72.
struct ExpOverflow {
  struct Cell {
    std::size_t row, col;
  };
  float limit = 0.0f;             // ln(FLT_MAX) in float32: exp of anything larger is inf
  std::vector<Cell> cells;        // the scores above it, row by row
  std::vector<std::size_t> rows;  // the rows holding at least one
};
ExpOverflow exp_overflow(const Matrix& scores);

// The index of the first largest entry: the key a row of weights attends to
// most, as the tables, the exercises and the lessons' claims name it (a NaN
// never wins over an earlier entry). REQUIRES: v is not empty.
std::size_t argmax(std::span<const float> v);

// The keys a row of weights attends to most, as a reader of the row printed
// to `decimals` places sees them: every visible key whose weight prints the
// same as the largest, so that equal weights are reported as a tie and never
// as a ranking. Only the first `visible` keys count (the causal mask hides the
// rest).
struct StrongestKeys {
  std::vector<std::size_t> keys;  // ascending; empty when a visible weight is not finite: there is no winner
  bool even = false;              // at least two visible keys, and every one of them is in `keys`
};
// REQUIRES: 1 ≤ visible ≤ row.size(), 0 ≤ decimals ≤ 9.
StrongestKeys strongest_keys(std::span<const float> row, std::size_t visible, int decimals);

// A row's largest and smallest value, and the smallest after the stable
// softmax subtracts the largest (min − max, in float32).
// REQUIRES: row < m.rows, m.cols > 0.
struct RowRange {
  float max = 0.0f, min = 0.0f, shifted_min = 0.0f;
};
RowRange row_range(const Matrix& m, std::size_t row);

// Equal weights over n keys: entropy ln n, each weight 1/n. REQUIRES: n ≥ 1.
struct UniformRow {
  double entropy = 0.0, weight = 0.0;
};
UniformRow uniform_row(std::size_t n);

// √d_k: the typical size (standard deviation) of a dot product of d_k terms
// whose factors have mean 0 and variance 1.
double score_std_dev(std::size_t d_k);

}  // namespace attn
