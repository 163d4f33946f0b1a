// render_lesson_list.hpp: the list of lessons, and one lesson's steps, as text and as JSON.
//
// What `attn-explain lesson` and `lesson --json` print: each lesson's name,
// title, source and number of steps, the titles and sources shown escaped (a
// lesson file is data, and may hold control characters); and what
// `lesson NAME --json` prints: the lesson's steps, each with the command that
// reproduces it. They compute nothing and run no step.
#pragma once

#include <string>
#include <vector>

#include "attn/teach/lesson.hpp"

namespace attn {

// "Lessons (run one with: attn-explain lesson NAME)", then two lines a lesson.
std::string render_lesson_list(const std::vector<Lesson>& lessons);

// [{"name", "title", "source", "summary", "steps"}], indented by 2, with a newline.
std::string lesson_list_json(const std::vector<Lesson>& lessons);

// {"name", "title", "source", "summary", "steps": [{"title", "say", "command"?}]}, with a newline.
std::string lesson_steps_json(const Lesson& lesson);

}  // namespace attn
