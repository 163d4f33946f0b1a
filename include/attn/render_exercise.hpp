// render_exercise.hpp: an exercise as a learner reads it (being written).
#pragma once

#include <string>
#include <vector>

#include "attn/exercise.hpp"
#include "attn/progress.hpp"

namespace attn {

struct ExerciseOptions {
  int precision = 4;
  bool color = false;
};

// The list: id, title, topic, difficulty, solved.
std::string render_exercise_list(const std::vector<Exercise>& exercises, const Progress& progress,
                                 const ExerciseOptions& options);
// The task: title, source, sentence, table and settings, what to compute, the
// stages it shows, and the command that explores it.
std::string render_exercise(const Exercise& exercise, const ExerciseOptions& options);
// Hint number `k` (1-based) of the exercise's hints. REQUIRES: 1 ≤ k ≤ hints.size().
std::string render_hint(const Exercise& exercise, std::size_t k);
// The worked solution: the engine's own arithmetic (the --focus renderer where
// a token is asked) and the answer.
std::string render_solution(const Exercise& exercise, const ExerciseOptions& options);
// What --answer prints: right, or wrong with the nudge.
std::string render_verdict(const Exercise& exercise, const Verdict& verdict, const ExerciseOptions& options);

}  // namespace attn
