// cli_lesson.hpp: attn-explain lesson [NAME] [--check | --json | --html FILE].
//
// Without a name, the list of lessons (text or JSON); with one, the lesson's
// pages, paged on a terminal, or the whole lesson as an HTML page, or its steps
// as JSON, or (--check) every step run and every claim tested.
#pragma once

#include "cli_options.hpp"
#include "run_plan.hpp"

namespace attn {

int run_lesson_command(const LessonCommand& command, const Terminal& terminal);

}  // namespace attn
