// render_lesson.hpp: a lesson as the pages a learner pages through.
//
// render_lesson() draws each step of a Lesson (lesson.hpp) from what
// run_lesson() computed: it narrates, prints the command that reproduces the
// step, and shows what the step asks for (the tables of some stages, one
// token's arithmetic, or a comparison) with the ordinary renderers. It computes
// nothing. The run header is printed only when a step's settings differ from
// the last one shown.
#pragma once

#include <string>
#include <vector>

#include "attn/teach/explanations.hpp"
#include "attn/teach/lesson.hpp"

namespace attn {

struct LessonOptions {
  int precision = 4;  // REQUIRES: 0 ≤ precision ≤ 9
  bool color = false;
  const Explanations* explain = nullptr;  // notes under each stage's title, or none
};

// The lesson as pages: an introduction, then one page per step. The CLI
// prints them, pausing between pages on a terminal.
// REQUIRES: runs is run_lesson(lesson).
std::vector<std::string> render_lesson(const Lesson& lesson, const std::vector<StepRun>& runs,
                                       const LessonOptions& options);

}  // namespace attn
