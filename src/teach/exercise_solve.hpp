// exercise_solve.hpp: an exercise's answer, computed from its run.
//
// solve_run() runs the exercise (explore() on its sentence and settings, or
// count_parameters() for a parameter count) and reads the asked quantity off
// the result: the answer is never stored. The mistakes (exercise_mistakes.hpp)
// and the nudges build on the same Solved run, and read other quantities off it
// with the helpers below. Nothing here prints.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "attn/teach/answer.hpp"
#include "attn/embedding_table.hpp"
#include "attn/matrix.hpp"
#include "attn/trace.hpp"
#include "attn/teach/exercise.hpp"
#include "attn/trace_stats.hpp"  // argmax

namespace attn {

// The exercise's run and the answer read off it.
struct Solved {
  std::optional<EmbeddingTable> table;
  std::optional<Trace> trace;  // none for parameter_count
  std::size_t t = 0, k = 0;    // rows of ask.token and ask.key
  std::size_t head = 0;        // the head asked about: the run's "head" - 1 (a model's), else 0
  Answer answer;
};

// Runs the exercise and reads its answer. Throws DataError naming the exercise
// (its path, else its id) when the run cannot be made, or the token or the key
// is not one of the sentence.
Solved solve_run(const Exercise& exercise);

// The quantity `ask` names, read off a Trace (t, k: the rows of its token and key).
// REQUIRES: ask.quantity is not parameter_count (that one has no run); t and k < the tokens.
Answer read_quantity(const Ask& ask, const Trace& trace, std::size_t t, std::size_t k, std::size_t head = 0);

// "t.json", or `exercise "id"` for an exercise not read from a file: where messages say the problem is.
std::string where_of(const Exercise& exercise);

// ── answers of each kind ──
Answer number_answer(double x);
Answer whole_answer(std::uint64_t x);  // printed without decimals
Answer vector_answer(std::vector<double> v);
Answer vector_answer(const std::vector<float>& v);
Answer shape_answer(std::size_t rows, std::size_t cols);  // [rows, cols], whole
Answer token_answer(std::string token);

// ── reading a Trace ──
std::vector<float> column_of(const Matrix& m, std::size_t j);  // REQUIRES: j < m.cols
// The weights the context vectors use: after dropout when there is dropout.
const Matrix& used_weights(const HeadTrace& head);
// 1 / (1 − p), in float32 as attention.cpp computes it.
float dropout_scale_of(double p);

}  // namespace attn
