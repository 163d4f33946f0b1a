// exercise.hpp: tasks from the walkthroughs, whose answers the engine computes.
//
// An exercise is data: data/exercises/ID.json (docs/exercise-format.md). It
// names a run (the "run" object of lessons, run_settings.hpp), what to compute
// ("ask": a quantity, a token, a key), the decimals asked for and hints. The answer is
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

#include "attn/teach/answer.hpp"
#include "attn/teach/answer_compare.hpp"
#include "attn/settings.hpp"
#include "attn/teach/exercise_quantity.hpp"
#include "attn/teach/run_settings.hpp"

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
  int decimals = 4;          // asked for ("to four decimals"); 0 for counts and shapes
  double tolerance = 0.5e-4;  // half a unit of the last decimal unless the file widens it
  std::vector<std::string> hints;  // at least one
  std::string path;                // where it was read from (the `source` of parse_exercise)
};

// The precision check() holds answers to.
inline Precision precision_of(const Exercise& exercise) { return {exercise.decimals, exercise.tolerance}; }

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
  // Neither right nor wrong: written with fewer decimals than the exercise asks
  // for, and agreeing with the answer as far as they go. Not an attempt.
  bool too_few_decimals = false;
  Answer expected;
  std::optional<std::string> mistake;  // the usual mistake the answer matches, e.g. "unscaled"
  std::string nudge;                   // one or two sentences for the learner when not right
  std::string note;                    // for a token answered by its position: "token 5 is \"ball\""
};

// At precision_of(exercise), by closeness() (answer.hpp), in this order:
//   1. printed-equal to the answer: correct;
//   2. printed-equal to a usual mistake's value (another token's row, say):
//      that mistake, with its nudge, even when within a widened tolerance;
//   3. within the tolerance of the answer: correct;
//   4. too few decimals: too_few_decimals, with a nudge asking for them;
//   5. within the tolerance of a mistake's value: that mistake;
//   6. one unit of the last decimal from the answer, or from one worked from the
//      page's rounded numbers: the mistake "rounding", "close: check your rounding";
//   7. else a nudge on what is off (which components, the token's row to look at).
// Before 2, an answer printed-equal to one worked from the page's rounded numbers
// (printed_answers(), exercise_printed.hpp) is correct. A position given for a
// token ("5") is judged as the token there, with a note naming it.
// Throws as solve().
Verdict check(const Exercise& exercise, const Answer& given);

// The mistaken variants of an exercise's answer: name, nudge, value; computed
// (explore() re-run with one setting changed, or another part of the same
// Trace), never stored. A variant printed-equal to the answer, or to an
// earlier variant (closeness()), or not finite, is left out, so check() on a
// variant's value names exactly that variant. Empty when no usual mistake applies. Throws as solve().
struct Mistake {
  std::string name;
  std::string nudge;
  Answer value;
};
std::vector<Mistake> mistakes_of(const Exercise& exercise);

}  // namespace attn
