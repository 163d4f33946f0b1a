// Checking answers as issue 12 asks (items 4, 5 and 6): a nudge names only a
// mistake the exercise's own tables make possible, the tolerance follows the
// decimals asked for, a value of another row is named as that row, and an
// answer with fewer decimals than asked is told to give them.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "answers.hpp"
#include "attn/embedding_table.hpp"
#include "attn/explorer.hpp"
#include "exercise.hpp"
#include "test_util.hpp"

namespace attn {
namespace {

using Kind = Answer::Kind;
using test::num;
using test::vec;

const Exercise& bundled(const std::string& id) {
  static const std::vector<Exercise> all = load_exercises();
  return find_exercise(all, id);
}

const Trace& run_of(const Exercise& ex) {
  static std::vector<std::pair<std::string, Trace>> runs;
  for (const auto& [id, t] : runs)
    if (id == ex.id) return t;
  runs.emplace_back(ex.id, explore(ex.settings.request, load_table(test::bundled(ex.settings.embeddings))));
  return runs.back().second;
}

std::size_t token_index(const Trace& t, const std::string& text) {
  return static_cast<std::size_t>(std::find(t.tokens.begin(), t.tokens.end(), text) - t.tokens.begin());
}

// The raw scores ω of row i, in double.
std::vector<double> raw_row(const Trace& t, std::size_t i) {
  std::vector<double> r;
  for (std::size_t j = 0; j < t.tokens.size(); ++j) r.push_back(t.heads[0].attn_scores(i, j));
  return r;
}

// The softmax of the first `visible` entries; the rest get 0 (a causal row).
std::vector<double> softmax(const std::vector<double>& x, std::size_t visible) {
  double top = x[0], sum = 0.0;
  for (std::size_t j = 0; j < visible; ++j) top = std::max(top, x[j]);
  for (std::size_t j = 0; j < visible; ++j) sum += std::exp(x[j] - top);
  std::vector<double> w(x.size(), 0.0);
  for (std::size_t j = 0; j < visible; ++j) w[j] = std::exp(x[j] - top) / sum;
  return w;
}

std::vector<double> divided(std::vector<double> x, double by) {
  for (double& v : x) v /= by;
  return x;
}

bool has_mistake(const Exercise& ex, const std::string& name) {
  const auto list = mistakes_of(ex);
  return std::any_of(list.begin(), list.end(), [&](const Mistake& m) { return m.name == name; });
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// ───────────────────────────── item 4: nudges that fit the exercise ─────────────────────────────

TEST(ExerciseNudgeFits, ScoresShownScaledAreNotScaledAgain) {
  // how-are-you prints the scaled scores: d_k = 6, so a learner who divides
  // them by √6 again has divided the raw scores by 6.
  const Exercise& ex = bundled("how-are-you");
  const Trace& t = run_of(ex);
  const std::size_t how = token_index(t, "How"), you = token_index(t, "you");
  const std::vector<double> raw = raw_row(t, how);
  const Verdict twice = check(ex, num(softmax(divided(raw, 6.0), raw.size())[you]));
  EXPECT_FALSE(twice.correct);
  EXPECT_EQ(twice.mistake.value_or("(none)"), "scaled twice") << twice.nudge;
  EXPECT_TRUE(has(twice.nudge, "already")) << twice.nudge;
  EXPECT_FALSE(has(twice.nudge, "d_k = 6 itself")) << twice.nudge;
  // Unscaling the table is not a slip it invites: no such variant, no such nudge.
  for (const char* impossible : {"unscaled", "scaled by d_k instead of √d_k", "multiplied by √d_k"}) {
    EXPECT_FALSE(has_mistake(ex, impossible)) << impossible;
  }
  const Verdict unscaled = check(ex, num(softmax(raw, raw.size())[you]));
  EXPECT_NE(unscaled.mistake.value_or("(none)"), "unscaled") << unscaled.nudge;
  // Nor does any nudge ask for the division the table has done.
  const Verdict other = check(ex, num(0.5));
  EXPECT_FALSE(other.mistake.has_value());
  EXPECT_FALSE(has(other.nudge, "divide them by √d_k")) << other.nudge;
  EXPECT_TRUE(has(other.nudge, "scaled scores")) << other.nudge;
}

TEST(ExerciseNudgeFits, CausalRowFromScaledScores) {
  // causal-row prints the scaled scores of SelfAttention_v2 (d_k = 2); "with" is token 4.
  const Exercise& ex = bundled("causal-row");
  const Trace& t = run_of(ex);
  const std::size_t with = token_index(t, "with");
  const std::vector<double> raw = raw_row(t, with);
  const Verdict twice = check(ex, vec(softmax(divided(raw, 2.0), with + 1)));
  EXPECT_EQ(twice.mistake.value_or("(none)"), "scaled twice") << twice.nudge;
  EXPECT_FALSE(has_mistake(ex, "unscaled"));
  EXPECT_FALSE(has_mistake(ex, "scaled by d_k instead of √d_k"));
  EXPECT_TRUE(has_mistake(ex, "no causal mask"));  // the table still holds the later keys
  const Verdict other = check(ex, vec({0.5, 0.5, 0, 0, 0, 0}));
  EXPECT_FALSE(has(other.nudge, "divide them by √d_k")) << other.nudge;
}

TEST(ExerciseNudgeFits, RawScoresStillInviteEveryScalingSlip) {
  // making prints the raw scores: the learner scales, and can do it wrong.
  const Exercise& ex = bundled("making");
  EXPECT_TRUE(has_mistake(ex, "unscaled"));
  EXPECT_TRUE(has_mistake(ex, "scaled by d_k instead of √d_k"));
  EXPECT_FALSE(has_mistake(ex, "scaled twice"));
  const Verdict other = check(ex, num(0.5));
  EXPECT_TRUE(has(other.nudge, "divide them by √d_k")) << other.nudge;
}

TEST(ExerciseNudgeFits, WeightsShownLeaveOnlyTheSlipsAfterThem) {
  // trainable-context prints the weights and the values: only how they are
  // combined can go wrong, not how the weights were made.
  const Exercise& ex = bundled("trainable-context");
  for (const char* impossible : {"unscaled", "sum instead of softmax", "not normalised", "scaled twice"}) {
    EXPECT_FALSE(has_mistake(ex, impossible)) << impossible;
  }
  EXPECT_TRUE(has_mistake(ex, "wrong row"));
  EXPECT_TRUE(has_mistake(ex, "embeddings instead of values"));
  EXPECT_TRUE(has_mistake(ex, "column instead of row"));
}

TEST(ExerciseNudgeFits, NoBundledNudgeAsksForAStepItsTablesHaveDone) {
  for (const Exercise& ex : load_exercises()) {
    const bool scaled_shown = std::any_of(ex.show.begin(), ex.show.end(), [](Stage s) { return s >= Stage::scaled; });
    if (!scaled_shown) continue;
    SCOPED_TRACE(ex.id);
    for (const Mistake& m : mistakes_of(ex)) {
      EXPECT_FALSE(has(m.nudge, "without dividing")) << m.name << ": " << m.nudge;
      EXPECT_FALSE(has(m.nudge, "divide them by √d_k")) << m.name << ": " << m.nudge;
      EXPECT_FALSE(has(m.nudge, "d_k = ") && has(m.nudge, "itself")) << m.name << ": " << m.nudge;
    }
  }
}

}  // namespace
}  // namespace attn
