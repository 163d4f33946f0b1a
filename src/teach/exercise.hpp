// exercise.hpp: tasks from the walkthroughs, whose answers the engine computes.
//
// An exercise is data: data/exercises/ID.json (docs/exercise-format.md). It
// names a run (the "run" object of lessons, run_settings.hpp), what to compute
// ("ask": a quantity, a token, a key), a tolerance and hints. The answer is
// never stored: solve() runs explore() and reads the quantity off the Trace.
// check() compares a learner's answer with it and, when wrong, with the
// answers that the usual mistakes give (unscaled, not normalised,
// sum-normalised instead of softmax, wrong row, column instead of row, off by
// the dropout scale, ...), naming the mistake that matches.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "answer.hpp"
#include "attn/settings.hpp"
#include "exercise_quantity.hpp"
#include "run_settings.hpp"

namespace attn {

// What an exercise asks for: a quantity (exercise_quantity.hpp) and what it is
// asked of.
struct Ask {
  Quantity quantity = Quantity::score;
  std::optional<std::string> token, key;  // a token's text or 1-based position, as --focus takes it
  // parameter_count only:
  std::uint64_t d_in = 0, d_out = 0, heads = 1;
  Multihead multihead = Multihead::wrapper;  // as the main command and `attn-explain params`
  bool qkv_bias = false;
};

struct Exercise {
  std::string id, title, topic, source;
  int difficulty = 1;  // 1 (one step) to 3 (several steps)
  int order = 0;       // position in the list
  RunSettings settings;
  std::vector<std::string> task;  // what to compute, in plain words
  std::vector<Stage> show;  // stages printed with the task: the numbers a pencil needs
  Ask ask;
  double tolerance = 5e-4;
  std::vector<std::string> hints;  // at least one
  std::string path;                // where it was read from (the `source` of parse_exercise)
};

// Strict: unknown keys, wrong types, an unknown quantity, a token or key missing
// (or given to a quantity that takes none), no "run" sentence where one is
// needed, an empty "task" or "hints", a stage name that is not one: each a
// DataError starting with `source`. Token and key are checked against the
// sentence only when solved (they need the run).
Exercise parse_exercise(const std::string& text, const std::string& source);
// Also refuses an "id" that differs from the file's stem.
Exercise load_exercise(const std::filesystem::path& path);
// Every data/exercises/*.json of the first data folder that has exercises, by
// order then id. Throws DataError when no data folder has an exercises/ folder.
std::vector<Exercise> load_exercises();
// The exercise with that id, else (when `id` is all digits) the one at that
// 1-based position of the list. Throws UsageError listing the ids there are.
const Exercise& find_exercise(const std::vector<Exercise>& exercises, const std::string& id);

// The exercise's answer, computed by the engine. Throws DataError naming the
// exercise when its run or its ask cannot be computed.
Answer solve(const Exercise& exercise);

struct Verdict {
  bool correct = false;
  Answer expected;
  std::optional<std::string> mistake;  // the usual mistake the answer matches, e.g. "unscaled"
  std::string nudge;                   // one or two sentences for the learner when wrong
};

// Correct when answers_match(given, solve(exercise), tolerance); else the first
// mistake whose value matches the answer, with its nudge; else a nudge on what
// is off (which components, the token's row to look at). Throws as solve().
Verdict check(const Exercise& exercise, const Answer& given);

// The mistaken variants of an exercise's answer: name, nudge, value; computed
// (explore() re-run with one setting changed, or another part of the same
// Trace), never stored. A variant within the tolerance of the answer, or of an
// earlier variant, or not finite, is left out, so check() on a variant's value
// names exactly that variant. Empty when no usual mistake applies. Throws as solve().
struct Mistake {
  std::string name;
  std::string nudge;
  Answer value;
};
std::vector<Mistake> mistakes_of(const Exercise& exercise);

}  // namespace attn
