// exercise_printed.hpp: an exercise's answer worked from its page, as a learner works it.
//
// A learner computes from the tables the exercise prints, at four decimals (the
// page's default --precision), and from the constants its header prints (√d_k
// to four decimals, as the hints quote it: √2 ≈ 1.4142), not from the engine's
// full precision. Worked that way, an answer can differ from the exact one in
// its last decimal (ω22 = 1.8524 printed, 1.8524 / 1.4142 = 1.30986 → 1.3099,
// where the exact answer is 1.3098). printed_answers() returns the asked
// quantity recomputed from the rounded numbers of the latest tables the page
// shows, with √d_k both as printed and exact, so that check() accepts what the
// page's own numbers give. Promises:
//   - each value starts from printed numbers only where the page shows them;
//     a step the page does not show is taken from the run at full precision;
//   - the arithmetic after the printed numbers is the engine's (normalise_row(),
//     renormalise_causal()), in float32, as attend_head() does it;
//   - empty for a quantity with nothing rounded to start from (a count, a shape,
//     a token, √d_k itself, the dropout scale).
#pragma once

#include <vector>

#include "attn/teach/answer.hpp"
#include "attn/teach/exercise.hpp"
#include "exercise_solve.hpp"

namespace attn {

// The decimals an exercise page prints its tables with (--precision's default).
inline constexpr int kPageDecimals = 4;

// REQUIRES: `solved` is solve_run(exercise).
std::vector<Answer> printed_answers(const Exercise& exercise, const Solved& solved);

}  // namespace attn
