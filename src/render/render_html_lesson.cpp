// A lesson as one HTML page: each step's narration, then what it shows. See
// render_html.hpp.
#include <fmt/format.h>

#include "attn/util/echo.hpp"
#include "attn/render/render_compare.hpp"
#include "attn/render/render_html.hpp"
#include "render_html_data.hpp"
#include "render_html_lines.hpp"
#include "render_html_page.hpp"
#include "render_html_stages.hpp"

namespace attn {

namespace {

// The lines of a step's "say" as paragraphs: an empty line separates them.
std::string narration_html(const std::vector<std::string>& lines) {
  std::string out, paragraph;
  auto flush = [&] {
    if (!paragraph.empty()) out += "<p>" + paragraph + "</p>";
    paragraph.clear();
  };
  for (const std::string& line : lines) {
    if (line.empty()) {
      flush();
      continue;
    }
    if (!paragraph.empty()) paragraph += ' ';
    paragraph += user_text(line, kMessageLineBytes);
  }
  flush();
  return out.empty() ? "" : "<div class=\"say\">" + out + "</div>";
}

std::string lesson_header(const Lesson& lesson) {
  std::string out = fmt::format(
      "<header class=\"top\"><h1>Lesson: {}</h1><p class=\"lede\">{}</p><p class=\"src\">Replays: {}</p>"
      "<nav aria-label=\"Steps\"><ol class=\"toc\">",
      user_text(lesson.title, kMessageLineBytes), user_text(lesson.summary, kMessageLineBytes),
      user_text(lesson.source, kMessageLineBytes));
  for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
    out += fmt::format("<li><a href=\"#step-{}\">{}</a></li>", i + 1, user_text(lesson.steps[i].title, kMessageLineBytes));
  }
  return out + "</ol></nav></header>";
}

// What a step that runs attention shows: the header of a new run, the stages it names, its pictures, its focus.
std::string step_run_html(HtmlRun& run, const LessonStep& step, const StepRun& computed, bool new_run,
                          const HtmlOptions& options, const std::string& step_number) {
  std::string out = fmt::format("<div class=\"run\" data-run=\"{}\" data-name=\"{}\">", run.index, run.id);
  if (new_run) out += header_html(run.trace, run.precision);
  if (!step.show.empty()) {
    out += stages_html(run, std::set<Stage>(step.show.begin(), step.show.end()), options.explain, step_number);
  }
  const bool weights = std::find(step.show.begin(), step.show.end(), Stage::weights) != step.show.end();
  if (weights || computed.focus_row) out += pictures_html(run, computed.focus_row);
  if (computed.focus_row) out += focus_html(run, *computed.focus_row, false);
  return out + "</div>";
}

}  // namespace

std::string render_html_lesson(const Lesson& lesson, const std::vector<StepRun>& runs, const HtmlOptions& options,
                               const HtmlAssets& assets) {
  HtmlNumbers numbers(options.precision);
  std::string body = lesson_header(lesson) + "<main>";
  const RunSettings* shown_settings = nullptr;  // the run the last header described
  std::size_t index = 0;
  const std::size_t steps = lesson.steps.size();
  for (std::size_t i = 0; i < steps; ++i) {
    const LessonStep& step = lesson.steps[i];
    const StepRun& computed = runs[i];
    body += fmt::format("<section class=\"step\" id=\"step-{0}\" aria-labelledby=\"step-{0}-t\"><h2 id=\"step-{0}-t\">"
                        "<span class=\"num\">Step {0} of {1}:</span> {2}</h2>",
                        i + 1, steps, user_text(step.title, kMessageLineBytes));
    body += narration_html(step.say);
    if (step.computes()) {
      body += "<p class=\"try\">Try it: <code>" + user_text(command_for(step), kMessageLineBytes) + "</code></p>";
    }
    const CompareOptions co{options.precision, false};
    if (computed.scale || computed.softmax) {
      const std::string text = computed.scale ? render_scale_comparison(*computed.scale, co)
                                              : render_softmax_comparison(*computed.softmax, co);
      body += "<pre class=\"compare\">" + html_escape(printable_lines(text, kMessageLineBytes * 8)) + "</pre>";
    } else if (computed.trace) {
      const bool new_run = !shown_settings || !same_run(*shown_settings, step.settings);
      if (new_run) index = numbers.add_run(*computed.trace);
      // A model's heads: the step's one, as the terminal shows it; the token it discusses marked in its tables.
      const std::optional<std::size_t> head =
          computed.trace->model ? std::optional<std::size_t>(step.settings.head - 1) : std::nullopt;
      HtmlRun run{*computed.trace, numbers, index, fmt::format("s{}", i + 1), options.precision, head, computed.focus_row};
      body += step_run_html(run, step, computed, new_run, options, std::to_string(i + 1));
      shown_settings = &step.settings;
    }
    body += "</section>";
  }
  body += fmt::format("</main><footer><p>End of the lesson \"{}\". Made by attn-explain (one file: it loads nothing and "
                      "sends nothing).</p></footer>",
                      user_text(lesson.name));
  return fill_template(assets, "attn-explain lesson: " + user_text(lesson.title), body, numbers.json());
}

}  // namespace attn
