#include "attn/teach/lesson.hpp"

#include "attn/model.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "attn/util/error.hpp"
#include "attn/util/json_file.hpp"
#include "attn/embedding_table.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/util/echo.hpp"
#include "attn/util/text_file.hpp"
#include "attn/token_lookup.hpp"
#include "attn/trace_stats.hpp"
#include "attn/util/json_fields.hpp"

namespace attn {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string focus_argument(const std::string& spec) {
  return spec.find_first_of(" \t'\"$`\\!*?[]()<>|&;#~") == std::string::npos ? spec : shell_quote(spec);
}


// Lesson names are typed on the command line and offered by the shell completions,
// so they follow the rule of exercise ids (exercise_format.cpp): letters, digits, '-'
// and '_', starting with a letter or a digit (docs/lesson-format.md).
bool valid_name(const std::string& name) {
  const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  return !name.empty() && alnum(name.front()) &&
         std::all_of(name.begin(), name.end(), [&](char c) { return alnum(c) || c == '-' || c == '_'; });
}

}  // namespace

Lesson parse_lesson(const std::string& text, const std::string& source) {
  const json root = parse_json_document(text, source, 16);
  const Fields f(root, source, {"$schema", "name", "title", "source", "summary", "order", "run", "steps"});
  Lesson lesson;
  lesson.path = source;
  lesson.name = f.text("name");
  if (!valid_name(lesson.name)) {
    f.fail(fmt::format("\"name\" is \"{}\", expected letters, digits, '-' or '_', starting with a letter or a digit",
                       lesson.name));
  }
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
      step.show = read_stages(s, "show");
    }
    if (s.has("focus")) step.focus = s.text("focus");
    if (s.has("compare")) step.compare = s.choice_of("compare", kComparisonNames);
    if (s.has("expect")) {
      const Fields e(s.raw("expect"), where + " \"expect\"",
                     {"token", "attends_most_to", "same_weights_as", "other_weights_than", "largest_weight_below"});
      LessonExpectation expect{e.text("token"), "", std::nullopt, std::nullopt, std::nullopt};
      if (e.has("attends_most_to")) expect.attends_most_to = e.text("attends_most_to");
      if (e.has("same_weights_as")) expect.same_weights_as = e.whole("same_weights_as", 1, i);
      if (e.has("other_weights_than")) expect.other_weights_than = e.whole("other_weights_than", 1, i);
      if (e.has("largest_weight_below")) {
        expect.largest_weight_below = e.number("largest_weight_below");
        if (!(*expect.largest_weight_below > 0.0 && *expect.largest_weight_below <= 1.0)) {
          e.fail(fmt::format("\"largest_weight_below\" is {}, expected a weight above 0 and at most 1", *expect.largest_weight_below));
        }
      }
      if (e.has("attends_most_to") + e.has("same_weights_as") + e.has("other_weights_than") + e.has("largest_weight_below") != 1) {
        e.fail("expected one claim: \"attends_most_to\", \"same_weights_as\", \"other_weights_than\" or \"largest_weight_below\"");
      }
      step.expect = std::move(expect);
    }
    if (step.computes() && settings.request.sentence.empty()) s.fail("shows something, but no \"sentence\" is set");
    lesson.steps.push_back(std::move(step));
  }
  return lesson;
}

Lesson load_lesson(const fs::path& path) { return parse_lesson(read_text_file(path), path.string()); }

std::vector<Lesson> load_lessons() {
  std::vector<Lesson> lessons;
  for (const fs::path& file : bundled_json_files("lessons")) {
    lessons.push_back(load_lesson(file));
    if (lessons.back().name != file.stem().string()) {
      throw DataError(fmt::format("{}: \"name\" is \"{}\", expected the file's name, \"{}\"", file.string(),
                                  lessons.back().name, file.stem().string()));
    }
  }
  std::stable_sort(lessons.begin(), lessons.end(), [](const Lesson& a, const Lesson& b) { return a.order < b.order; });
  return lessons;
}

const Lesson& find_lesson(const std::vector<Lesson>& lessons, const std::string& name) {
  std::string names;
  for (const Lesson& l : lessons) {
    if (l.name == name) return l;
    names += (names.empty() ? "" : ", ") + l.name;
  }
  throw UsageError(fmt::format("lesson \"{}\": no such lesson", printable(name)), "lessons: " + names);
}

bool same_run(const RunSettings& a, const RunSettings& b) {
  return a.request.sentence == b.request.sentence && settings_flags(a) == settings_flags(b);
}

std::string command_for(const LessonStep& step) {
  std::string cmd;
  if (step.compare) {
    cmd += fmt::format(" --compare {}", to_string(*step.compare));
  } else {
    if (!step.show.empty()) {
      std::string stages;
      for (const Stage s : step.show) (stages += stages.empty() ? "" : ",") += to_string(s);
      cmd += " --stages " + stages;
    }
    if (step.focus) cmd += " --focus " + focus_argument(*step.focus);
  }
  return command_line(step.settings, cmd);
}

std::vector<StepRun> run_lesson(const Lesson& lesson) {
  std::map<std::string, EmbeddingTable> tables;
  auto table_for = [&](const std::string& name) -> const EmbeddingTable& {
    auto it = tables.find(name);
    if (it == tables.end()) it = tables.emplace(name, load_table(find_data_file(name))).first;
    return it->second;
  };
  std::vector<StepRun> runs(lesson.steps.size());
  for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
    const LessonStep& step = lesson.steps[i];
    if (!step.computes() && !step.expect) continue;
    StepRun& run = runs[i];
    try {
      if (!step.settings.model.empty()) {
        // A trained model's block: the same stages, from explore(ModelRequest, model).
        run.trace = model_trace(step.settings);
        if (step.focus) run.focus_row = find_focus(*run.trace, *step.focus);
        continue;
      }
      const EmbeddingTable& table = table_for(step.settings.embeddings);
      if (step.compare == Comparison::scale) {
        run.scale = compare_scale(step.settings.request, table);
      } else if (step.compare) {
        run.softmax = compare_softmax(step.settings.request, table, table_for(kOverflowTable));
      }
      if (!step.compare || step.expect) {
        run.trace = explore(step.settings.request, table);
        check_head(step.settings, *run.trace);
        if (step.focus) run.focus_row = find_focus(*run.trace, *step.focus);
      }
    } catch (const Error& e) {
      // A lesson that cannot run is bad data, wherever the engine found the problem.
      throw DataError(fmt::format("{}: step {}: {}", lesson.path, i + 1, e.message().c_str()), e.hint());  // its keys kept
    }
  }
  return runs;
}

namespace {

// The row of `token` in the step's head's weights, as key word → weight.
std::map<std::string, float> weights_by_word(const Trace& trace, const LessonStep& step, std::size_t row) {
  std::map<std::string, float> out;
  const Matrix& weights = trace.heads.at(step.settings.head - 1).attn_weights;
  for (std::size_t j = 0; j < trace.tokens.size(); ++j) out[trace.tokens[j]] = weights(row, j);
  return out;
}

// A same_weights_as or other_weights_than claim on step i's row of the token: "" when it holds.
std::string compare_claim(const Lesson& lesson, const std::vector<StepRun>& runs, std::size_t i) {
  const LessonExpectation& expect = *lesson.steps[i].expect;
  const std::size_t other = *(expect.same_weights_as ? expect.same_weights_as : expect.other_weights_than) - 1;
  if (!runs[other].trace) return fmt::format("step {}: step {} computes no weights to compare with", i + 1, other + 1);
  const std::map<std::string, float> here = weights_by_word(*runs[i].trace, lesson.steps[i], find_focus(*runs[i].trace, expect.token));
  const std::map<std::string, float> there =
      weights_by_word(*runs[other].trace, lesson.steps[other], find_focus(*runs[other].trace, expect.token));
  float largest = 0.0f;  // the largest difference, word by word
  bool same_words = here.size() == there.size();
  for (const auto& [word, weight] : here) {
    const auto it = there.find(word);
    if (it == there.end()) same_words = false;
    else largest = std::max(largest, std::fabs(weight - it->second));
  }
  if (expect.same_weights_as && (!same_words || largest > 1e-6f)) {
    return fmt::format("step {}: the weights of \"{}\" are not those of step {} (they differ by {:.4f})", i + 1, expect.token,
                       other + 1, largest);
  }
  if (expect.other_weights_than && same_words && largest < 1e-3f) {
    return fmt::format("step {}: the weights of \"{}\" are those of step {} (to {:.4f})", i + 1, expect.token, other + 1,
                       largest);
  }
  return "";
}

}  // namespace

std::optional<std::string> first_false_claim(const Lesson& lesson, const std::vector<StepRun>& runs) {
  for (std::size_t i = 0; i < lesson.steps.size() && i < runs.size(); ++i) {
    const std::optional<LessonExpectation>& expect = lesson.steps[i].expect;
    if (!expect || !runs[i].trace) continue;
    const Trace& trace = *runs[i].trace;
    std::size_t row = 0;
    try {
      row = find_focus(trace, expect->token);
      if (expect->same_weights_as || expect->other_weights_than) {
        if (const std::string wrong = compare_claim(lesson, runs, i); !wrong.empty()) return wrong;
        continue;
      }
    } catch (const Error& e) {
      return fmt::format("step {}: \"expect\": {}", i + 1, e.message().c_str());  // keys named by the CLI
    }
    // The step's head's weights for the token (head 1 unless "head" says), read at four
    // decimals as the tables print them: the claim holds only for a single largest
    // weight, never for one of a tie.
    const std::size_t head = lesson.steps[i].settings.head - 1;  // run_lesson() checked it (check_head)
    const Matrix& weights = trace.heads.at(head).attn_weights;
    const StrongestKeys top =
        strongest_keys(weights.row(row), visible_keys(trace.settings, row, trace.tokens.size()), 4);
    if (top.keys.empty()) {
      return fmt::format("step {}: the weights of \"{}\" are not numbers, so it attends most to no key, not to \"{}\"",
                         i + 1, expect->token, expect->attends_most_to);
    }
    const std::size_t best = top.keys.front();
    if (expect->largest_weight_below) {
      if (!(weights(row, best) < *expect->largest_weight_below)) {
        return fmt::format("step {}: the largest weight of \"{}\" is {:.4f} (on \"{}\"), not below {}", i + 1, expect->token,
                           weights(row, best), trace.tokens[best], *expect->largest_weight_below);
      }
      continue;
    }
    if (top.keys.size() > 1) {
      return fmt::format("step {}: \"{}\" gives {} keys the same largest weight ({:.4f}), \"{}\" and \"{}\" among them; "
                         "\"attends most to\" needs one",
                         i + 1, expect->token, top.keys.size(), weights(row, best), trace.tokens[top.keys[0]],
                         trace.tokens[top.keys[1]]);
    }
    // A model's token shows its leading space ("·ball"): the claim may name it either way.
    const std::string& key = trace.tokens[best];
    if (key != expect->attends_most_to && key != after_space(expect->attends_most_to)) {
      return fmt::format("step {}: \"{}\" attends most to \"{}\" ({:.4f}), not to \"{}\"", i + 1, expect->token,
                         trace.tokens[best], weights(row, best), expect->attends_most_to);
    }
  }
  return std::nullopt;
}

Lesson lesson_named(const std::string& argument) {
  const bool is_file = argument.find('/') != std::string::npos ||
                       (argument.size() > 5 && argument.compare(argument.size() - 5, 5, ".json") == 0);
  if (is_file) return load_lesson(argument);
  const std::vector<Lesson> lessons = load_lessons();
  return find_lesson(lessons, argument);
}

}  // namespace attn
