// render_exercise.hpp: exercises as a learner reads them: the list, the task,
// hints, the worked solution and the verdict on an answer.
//
// These only read: the Exercise, the learner's Progress, a Trace the caller
// computed for the exercise's run (explore()), the Answer solve() computed and
// the Verdict check() gave. Nothing here computes attention; the worked
// solution is the --focus renderer's arithmetic on that Trace.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "attn/teach/exercise.hpp"
#include "attn/teach/progress.hpp"
#include "attn/trace.hpp"

namespace attn {

struct ExerciseOptions {
  int precision = 4;  // REQUIRES: 0 ≤ precision ≤ 9
  bool color = false;
};

// Whether the exercise has a sentence to run (parameter_count needs none).
bool has_run(const Exercise& exercise);

// The list: position, id, title, topic, difficulty, solved; and a count of the solved.
std::string render_exercise_list(const std::vector<Exercise>& exercises, const Progress& progress,
                                 const ExerciseOptions& options);

// The task: title, source, what to compute, the run's header and the stages the
// exercise shows, how to answer, and the command that explores it.
// REQUIRES: trace is the exercise's run when has_run(exercise), else nullptr.
std::string render_exercise(const Exercise& exercise, const Trace* trace, const ExerciseOptions& options);

// Hint `k` of the exercise's hints, counted from 1. REQUIRES: 1 ≤ k ≤ hints.size().
std::string render_hint(const Exercise& exercise, std::size_t k);

// The worked solution, then the answer. REQUIRES: as render_exercise.
std::string render_solution(const Exercise& exercise, const Trace* trace, const Answer& answer,
                            const ExerciseOptions& options);

// What --answer prints: right, asked for more decimals (not counted), or wrong
// with the nudge and where to go next. The answer is echoed with the decimals
// the learner wrote.
std::string render_verdict(const Exercise& exercise, const Answer& given, const Verdict& verdict,
                           const ExerciseOptions& options);

// The command that explores the exercise: attn-explain with its run's options
// (and --focus for a token), or attn-explain params for a parameter count.
std::string explore_command(const Exercise& exercise);

}  // namespace attn
