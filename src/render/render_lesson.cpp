// The lesson's pages: the steps of a Lesson (teach/lesson.hpp) computed by the
// engine and drawn by the table, focus and comparison renderers.
#include "attn/render/render_lesson.hpp"

#include <fmt/format.h>

#include "attn/util/echo.hpp"
#include "attn/render/render_compare.hpp"
#include "attn/render/render_focus.hpp"
#include "attn/render/render_table.hpp"
#include "attn/render/style.hpp"

namespace attn {

namespace {

// Word-wraps nothing: lesson lines are written at a readable width; this only
// indents. An instructor's file may hold anything: control characters are shown
// escaped, never sent to the terminal (echo.hpp).
std::string narrate(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line.empty() ? "\n" : "  " + printable(line, kMessageLineBytes) + "\n";
  return out;
}

}  // namespace

std::vector<std::string> render_lesson(const Lesson& lesson, const std::vector<StepRun>& runs, const LessonOptions& options) {
  const bool color = options.color;
  std::vector<std::string> pages;
  pages.push_back(fmt::format("{}\n  {}\n  {}\n  {} steps\n", bold(fmt::format("Lesson: {}", printable(lesson.title, kMessageLineBytes)), color),
                              printable(lesson.summary, kMessageLineBytes),
                              dim("Replays: " + printable(lesson.source, kMessageLineBytes), color), lesson.steps.size()));

  const RunSettings* shown_settings = nullptr;  // the settings the last header described
  // One step's tables, focus or comparison, drawn from what run_lesson() computed.
  auto draw = [&](const LessonStep& step, const StepRun& run) {
    std::string out;
    const CompareOptions co{options.precision, color};
    if (run.scale || run.softmax) {
      out += '\n';
      out += run.scale ? render_scale_comparison(*run.scale, co) : render_softmax_comparison(*run.softmax, co);
      return out;
    }
    RenderOptions ro = with_precision(options.precision);
    ro.color = color;
    ro.explain = options.explain;
    ro.stages.insert(step.show.begin(), step.show.end());
    if (run.trace->model) ro.head = step.settings.head - 1;  // a model's twelve heads: the step's one
    // The header (sentence, table, settings) only when the run differs from the last one shown.
    const bool new_run = !shown_settings || !same_run(*shown_settings, step.settings);
    for (const Section& section : render_sections(*run.trace, ro)) {
      if (!section.stage) {
        if (new_run) (out += '\n') += section.text;
      } else if (!step.show.empty()) {
        out += section.text;
      }
    }
    shown_settings = &step.settings;
    if (run.focus_row) {
      out += '\n';
      out += render_focus(*run.trace, *run.focus_row, FocusOptions{options.precision, color, ro.head, false});
    }
    return out;
  };

  for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
    const LessonStep& step = lesson.steps[i];
    std::string page = fmt::format("\n{}\n\n", bold(fmt::format("━━ Step {} of {}: {} ━━", i + 1, lesson.steps.size(), printable(step.title, kMessageLineBytes)), color));
    page += narrate(step.say);
    if (step.computes()) {
      if (!step.say.empty()) page += '\n';
      page += "  " + dim("Try it:  " + command_for(step), color) + "\n";
      page += draw(step, runs[i]);
    }
    pages.push_back(std::move(page));
  }
  pages.back() += fmt::format("\n{}\n", dim(fmt::format("End of the lesson \"{}\".", printable(lesson.name)), color));
  return pages;
}

}  // namespace attn
