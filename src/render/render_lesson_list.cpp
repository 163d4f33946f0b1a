#include "attn/render/render_lesson_list.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "attn/util/echo.hpp"
#include "attn/render/text_layout.hpp"

namespace attn {

std::string render_lesson_list(const std::vector<Lesson>& lessons) {
  std::size_t width = 0;
  for (const Lesson& l : lessons) width = std::max(width, l.name.size());
  std::string out = "Lessons (run one with: attn-explain lesson NAME)\n\n";
  for (const Lesson& l : lessons) {
    // A lesson file is data: its title and source are shown escaped, as its pages are.
    out += fmt::format("  {}  {} ({} steps)\n  {}  {}\n", pad_right(l.name, width), display_escape(l.title), l.steps.size(),
                       std::string(width, ' '), display_escape(l.source));
  }
  return out;
}

std::string lesson_list_json(const std::vector<Lesson>& lessons) {
  nlohmann::json list = nlohmann::json::array();
  for (const Lesson& l : lessons) {
    list.push_back({{"name", l.name}, {"title", l.title}, {"source", l.source}, {"summary", l.summary}, {"steps", l.steps.size()}});
  }
  return list.dump(2) + "\n";
}

std::string lesson_steps_json(const Lesson& lesson) {
  nlohmann::json steps = nlohmann::json::array();
  for (const LessonStep& step : lesson.steps) {
    nlohmann::json j = {{"title", step.title}, {"say", step.say}};
    if (step.computes()) j["command"] = command_for(step);
    steps.push_back(std::move(j));
  }
  return nlohmann::json({{"name", lesson.name}, {"title", lesson.title}, {"source", lesson.source}, {"summary", lesson.summary},
                         {"steps", steps}})
             .dump(2) +
         "\n";
}

}  // namespace attn
