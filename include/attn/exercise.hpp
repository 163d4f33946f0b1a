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

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "attn/answer.hpp"
#include "attn/run_settings.hpp"

namespace attn {

// What an exercise asks for. quantity is one of:
//   score (token, key)       ω = q·k for one pair               number
//   scores (token)           the token's row of ω               vector
//   scaled_score (token,key) ω / √d_k                           number
//   weight (token, key)      one attention weight               number
//   weights (token)          the token's row of α               vector
//   context (token)          the token's context vector z       vector
//   query (token)            the token's query q                vector
//   output (token)           the token's row of the output      vector
//   attends_most (token)     the key token with the largest α   token
//   scale_divisor            √d_k                               number
//   dropout_scale            1 / (1 − p)                        number
//   output_shape             rows and columns of the output     vector [n, d]
//   parameter_count          trainable parameters (d_in, d_out, heads, multihead, qkv_bias below)  number
struct Ask {
  std::string quantity;
  std::optional<std::string> token, key;  // a token's text or 1-based position, as --focus takes it
  // parameter_count only:
  std::uint64_t d_in = 0, d_out = 0, heads = 1;
  std::string multihead = "split";
  bool qkv_bias = false;
};

struct Exercise {
  std::string id, title, topic, source;
  int difficulty = 1;  // 1 (one step) to 3 (several steps)
  int order = 0;       // position in the list
  RunSettings settings;
  std::vector<std::string> task;  // what to compute, in plain words
  std::vector<std::string> show;  // stages (kStageNames) printed with the task: the numbers a pencil needs
  Ask ask;
  double tolerance = 5e-4;
  std::vector<std::string> hints;  // at least one
  std::string path;
};

Exercise parse_exercise(const std::string& text, const std::string& source);
Exercise load_exercise(const std::filesystem::path& path);
// Every data/exercises/*.json of the first data folder that has exercises, by order then id.
std::vector<Exercise> load_exercises();
// Throws UsageError listing the ids there are.
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

Verdict check(const Exercise& exercise, const Answer& given);

// The mistaken variants of an exercise's answer: name, nudge, value. Empty
// when no usual mistake applies (e.g. parameter_count).
struct Mistake {
  std::string name;
  std::string nudge;
  Answer value;
};
std::vector<Mistake> mistakes_of(const Exercise& exercise);

}  // namespace attn
