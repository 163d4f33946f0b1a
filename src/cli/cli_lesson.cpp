#include "cli_lesson.hpp"

#include <optional>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/teach/explanations.hpp"
#include "attn/teach/lesson.hpp"
#include "output.hpp"
#include "output_checks.hpp"
#include "pager.hpp"
#include "attn/render/render_html.hpp"
#include "attn/render/render_lesson.hpp"
#include "attn/render/render_lesson_list.hpp"

namespace attn {

namespace {

// --check: every step run, every claim tested; the first false one is a DataError.
int check_lesson(const Lesson& lesson) {
  const std::vector<StepRun> runs = run_lesson(lesson);
  if (const std::optional<std::string> wrong = first_false_claim(lesson, runs)) {
    throw DataError(fmt::format("{}: {}", lesson.path, *wrong), "the numbers are the engine's; change the claim or the step");
  }
  std::size_t claims = 0;
  for (const LessonStep& step : lesson.steps) claims += step.expect ? 1 : 0;
  write_stdout(fmt::format("{}: {} steps run, {} claim{} hold{}\n", lesson.path, lesson.steps.size(), claims,
                           claims == 1 ? "" : "s", claims == 1 ? "s" : ""));
  return 0;
}

}  // namespace

int run_lesson_command(const LessonCommand& c, const Terminal& terminal) {
  if (c.name.empty()) {
    const std::vector<Lesson> lessons = load_lessons();
    write_stdout(c.json ? lesson_list_json(lessons) : render_lesson_list(lessons));
    return 0;
  }
  const Lesson lesson = lesson_named(c.name);
  if (c.check) return check_lesson(lesson);
  if (c.json) {
    write_stdout(lesson_steps_json(lesson));
    return 0;
  }
  const std::optional<Explanations> explanations =
      c.explain ? std::optional(load_explanations(find_data_file(kExplanationsFile))) : std::nullopt;
  if (!c.html_file.empty()) {
    check_html_is_not_the_lesson(c.html_file, lesson.path);
    HtmlOptions options;
    options.precision = c.precision;
    options.explain = explanations ? &*explanations : nullptr;
    write_output(c.html_file, render_html_lesson(lesson, run_lesson(lesson), options, load_html_assets()));
    return 0;
  }
  const std::vector<std::string> pages = render_lesson(
      lesson, run_lesson(lesson), LessonOptions{c.precision, color_for(c.color, terminal), explanations ? &*explanations : nullptr});
  Pager pager(true);
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (!pager.show(pages[i], i + 1 == pages.size())) break;
  }
  return 0;
}

}  // namespace attn
