#include "attn/lesson.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "attn/compare.hpp"
#include "attn/data_dir.hpp"
#include "attn/embedding_table.hpp"
#include "attn/error.hpp"
#include "attn/json_file.hpp"
#include "attn/render_compare.hpp"
#include "attn/render_focus.hpp"
#include "attn/render_table.hpp"
#include "attn/text_file.hpp"
#include "json_fields.hpp"

namespace attn {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool is_stage(const std::string& name) {
  return std::any_of(std::begin(kStageNames), std::end(kStageNames), [&](const char* s) { return name == s; });
}

std::string focus_argument(const std::string& spec) {
  return spec.find_first_of(" \t'\"$`\\!*?[]()<>|&;#~") == std::string::npos ? spec : shell_quote(spec);
}

// Word-wraps nothing: lesson lines are written at a readable width; this only indents.
std::string narrate(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line.empty() ? "\n" : "  " + line + "\n";
  return out;
}

}  // namespace

Lesson parse_lesson(const std::string& text, const std::string& source) {
  const json root = parse_json_document(text, source, 16);
  const Fields f(root, source, {"$schema", "name", "title", "source", "summary", "order", "run", "steps"});
  Lesson lesson;
  lesson.path = source;
  lesson.name = f.text("name");
  lesson.title = f.text("title");
  lesson.source = f.text("source");
  lesson.summary = f.text("summary");
  lesson.order = f.has("order") ? static_cast<int>(f.whole("order", 0, 10000)) : 0;
  RunSettings settings;
  if (f.has("run")) apply_run(f.raw("run"), source, settings);
  if (!f.has("steps") || !f.raw("steps").is_array() || f.raw("steps").empty()) {
    f.fail("\"steps\" must be a non-empty array of steps");
  }
  const json& steps = f.raw("steps");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::string where = fmt::format("{}: step {}", source, i + 1);
    const Fields s(steps[i], where, {"title", "say", "run", "show", "focus", "compare", "expect"});
    LessonStep step;
    step.title = s.text("title");
    if (s.has("say")) step.say = s.lines("say");
    if (s.has("run")) apply_run(s.raw("run"), where, settings);
    step.settings = settings;
    if (s.has("show")) {
      step.show = s.lines("show");
      for (const auto& stage : step.show) {
        if (!is_stage(stage)) s.fail(fmt::format("\"show\" names \"{}\", which is not a stage", stage));
      }
    }
    if (s.has("focus")) step.focus = s.text("focus");
    if (s.has("compare")) step.compare = s.choice("compare", {"scale", "softmax"});
    if (s.has("expect")) {
      const Fields e(s.raw("expect"), where + " \"expect\"", {"token", "attends_most_to"});
      step.expect = LessonExpectation{e.text("token"), e.text("attends_most_to")};
    }
    if (step.computes() && settings.request.sentence.empty()) s.fail("shows something, but no \"sentence\" is set");
    lesson.steps.push_back(std::move(step));
  }
  return lesson;
}

Lesson load_lesson(const fs::path& path) { return parse_lesson(read_text_file(path), path.string()); }

std::vector<Lesson> load_lessons() {
  std::vector<Lesson> lessons;
  for (const fs::path& file : bundled_json_files("lessons")) lessons.push_back(load_lesson(file));
  std::stable_sort(lessons.begin(), lessons.end(), [](const Lesson& a, const Lesson& b) { return a.order < b.order; });
  return lessons;
}

const Lesson& find_lesson(const std::vector<Lesson>& lessons, const std::string& name) {
  std::string names;
  for (const Lesson& l : lessons) {
    if (l.name == name) return l;
    names += (names.empty() ? "" : ", ") + l.name;
  }
  throw UsageError(fmt::format("lesson \"{}\": no such lesson", name), "lessons: " + names);
}

namespace {

bool same_run(const RunSettings& a, const RunSettings& b) {
  return a.request.sentence == b.request.sentence && settings_flags(a) == settings_flags(b);
}

}  // namespace

std::string command_for(const LessonStep& step) {
  std::string cmd;
  if (step.compare) {
    cmd += " --compare " + *step.compare;
  } else {
    if (!step.show.empty()) {
      std::string stages;
      for (const auto& s : step.show) stages += (stages.empty() ? "" : ",") + s;
      cmd += " --stages " + stages;
    }
    if (step.focus) cmd += " --focus " + focus_argument(*step.focus);
  }
  return command_line(step.settings, cmd);
}

std::vector<std::string> render_lesson(const Lesson& lesson, const LessonOptions& options) {
  const bool color = options.color;
  std::vector<std::string> pages;
  pages.push_back(fmt::format("{}\n  {}\n  {}\n  {} steps\n", bold(fmt::format("Lesson: {}", lesson.title), color),
                              lesson.summary, dim("Replays: " + lesson.source, color), lesson.steps.size()));

  std::map<std::string, EmbeddingTable> tables;
  auto table_for = [&](const std::string& name) -> const EmbeddingTable& {
    auto it = tables.find(name);
    if (it == tables.end()) it = tables.emplace(name, load_table(find_data_file(name))).first;
    return it->second;
  };

  const RunSettings* shown_settings = nullptr;  // the settings the last header described
  // One step's pages: what it shows, computed by the engine and drawn by the renderers.
  auto compute = [&](const LessonStep& step) {
    std::string out;
    const EmbeddingTable& table = table_for(step.settings.embeddings);
    if (step.compare) {
      const CompareOptions co{options.precision, color};
      out += '\n';
      out += *step.compare == "scale"
                 ? render_scale_comparison(compare_scale(step.settings.request, table), co)
                 : render_softmax_comparison(compare_softmax(step.settings.request, table, table_for(kOverflowTable)), co);
      return out;
    }
    const Trace trace = explore(step.settings.request, table);
    RenderOptions ro = with_precision(options.precision);
    ro.color = color;
    ro.explain = options.explain;
    ro.stages.insert(step.show.begin(), step.show.end());
    // The header (sentence, table, settings) only when the run differs from the last one shown.
    const bool new_run = !shown_settings || !same_run(*shown_settings, step.settings);
    for (const Section& section : render_sections(trace, ro)) {
      if (section.stage == "header") {
        if (new_run) out += '\n' + section.text;
      } else if (!step.show.empty()) {
        out += section.text;
      }
    }
    shown_settings = &step.settings;
    if (step.focus) {
      const std::size_t row = find_focus(trace, *step.focus);
      out += '\n';
      out += render_focus(trace, row, FocusOptions{options.precision, color});
    }
    return out;
  };

  for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
    const LessonStep& step = lesson.steps[i];
    std::string page = fmt::format("\n{}\n\n", bold(fmt::format("━━ Step {} of {}: {} ━━", i + 1, lesson.steps.size(), step.title), color));
    page += narrate(step.say);
    if (step.computes()) {
      if (!step.say.empty()) page += '\n';
      page += "  " + dim("Try it:  " + command_for(step), color) + "\n";
      try {
        page += compute(step);
      } catch (const Error& e) {
        // A lesson that cannot run is bad data, wherever the engine found the problem.
        throw DataError(fmt::format("{}: step {}: {}", lesson.path, i + 1, e.what()), e.hint());
      }
    }
    pages.push_back(std::move(page));
  }
  pages.back() += fmt::format("\n{}\n", dim(fmt::format("End of the lesson \"{}\".", lesson.name), color));
  return pages;
}

}  // namespace attn
