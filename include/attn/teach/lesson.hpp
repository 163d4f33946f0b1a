// lesson.hpp: narrated walkthroughs that replay a seed document's example.
//
// A lesson is data: data/lessons/NAME.json (format in docs/lesson-format.md,
// schema docs/schemas/lesson.schema.json). One engine runs them all: each step
// narrates, names the command that reproduces it, and shows what it asks for
// (stages of the walkthrough, one token's arithmetic, or a comparison).
// run_lesson() computes every step with explore() and the comparisons;
// render_lesson() (src/render/render_lesson.hpp) draws the pages.
//
// load_lesson() promises a Lesson whose every step carries the complete
// settings in force (the lesson's "run" merged with each step's "run" so far),
// valid stage names and a known comparison; anything else is a DataError naming
// the file and the step.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "attn/teach/explanations.hpp"
#include "attn/explorer.hpp"
#include "attn/compare.hpp"
#include "attn/teach/run_settings.hpp"

namespace attn {

// A claim the test suite checks about the step's head's weights in the row of `token`: they
// are largest at `attends_most_to`; or, taken key word by key word, they are the same as in
// step `same_weights_as` (to 6 decimals: the same bag of words, in another order), or they
// differ from step `other_weights_than`'s (by 0.001 or more somewhere). One of the three.
struct LessonExpectation {
  std::string token;
  std::string attends_most_to;
  std::optional<std::size_t> same_weights_as, other_weights_than;  // a step's number, from 1
  std::optional<double> largest_weight_below;  // every weight of the row is below this: spread out, no key stands out
};

struct LessonStep {
  std::string title;
  std::vector<std::string> say;
  RunSettings settings;            // in force at this step
  std::vector<Stage> show;         // the stages whose tables to print
  std::optional<std::string> focus;    // a token's text or 1-based position
  std::optional<Comparison> compare;
  std::optional<LessonExpectation> expect;

  bool computes() const { return !show.empty() || focus || compare; }
};

struct Lesson {
  std::string name, title, source, summary;
  int order = 0;
  std::vector<LessonStep> steps;
  std::string path;  // where it was read from
};

// What one step shows, computed by the engine: the run whose stages or focus it
// shows, or a comparison; empty for a step that only narrates.
struct StepRun {
  std::optional<Trace> trace;
  std::optional<std::size_t> focus_row;  // the row step.focus names
  std::optional<ScaleComparison> scale;
  std::optional<SoftmaxComparison> softmax;
};

// Every step's run, in order. Throws DataError "PATH: step N: ..." when a step
// cannot run (a table missing, settings the engine refuses, a focus token not
// in the sentence).
std::vector<StepRun> run_lesson(const Lesson& lesson);

// The first "expect" claim the runs do not bear out, as "step 3: \"it\" attends
// most to \"cat\" (0.2100), not to \"ball\""; nothing when every claim holds.
// REQUIRES: runs is run_lesson(lesson).
std::optional<std::string> first_false_claim(const Lesson& lesson, const std::vector<StepRun>& runs);

// The lesson `argument` names: a lesson file when it holds a '/' or ends in
// ".json" (an instructor's own, e.g. ./my-lesson.json), else a bundled lesson
// by name. Throws DataError for a file that cannot be read as a lesson,
// UsageError for an unknown name.
Lesson lesson_named(const std::string& argument);

// Whether two steps' runs are the same (sentence and every option).
bool same_run(const RunSettings& a, const RunSettings& b);

// REQUIRES: nothing; throws DataError naming `source` for any problem.
Lesson parse_lesson(const std::string& text, const std::string& source);
Lesson load_lesson(const std::filesystem::path& path);

// Every data/lessons/*.json of the first data folder that has lessons, by order then name.
std::vector<Lesson> load_lessons();

// The lesson called `name`; throws UsageError listing the lessons there are.
const Lesson& find_lesson(const std::vector<Lesson>& lessons, const std::string& name);

// The attn-explain command that reproduces a step (settings, then --stages,
// --focus or --compare, then the sentence, quoted for a POSIX shell).
std::string command_for(const LessonStep& step);

}  // namespace attn
