// The exercise tests' shared parts: the book's golden numbers, the runs the
// small exercises are written against (section 3.3's simplified attention, 3.4's
// trainable weights, 3.6.2's split heads, the it-ball sentence), a maker of
// exercises from JSON, independent arithmetic (softmax, weighted sums) and the
// checks on check()'s verdicts. Used by tests/exercise_*_test.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/teach/exercise.hpp"
#include "attn/explorer.hpp"
#include "attn/render/render_focus.hpp"
#include "answers.hpp"
#include "test_util.hpp"
#include "attn/teach/answer_compare.hpp"

namespace attn::exercise_testing {

using Kind = Answer::Kind;
using nlohmann::json;

inline const json& golden() {
  static const json g = test::read_json(test::test_data("golden/ch03-golden.json"));
  return g;
}
inline std::vector<double> golden_vector(const char* section, const char* name) {
  return golden().at(section).at(name).get<std::vector<double>>();
}
inline std::vector<std::vector<double>> golden_matrix(const char* section, const char* name) {
  return golden().at(section).at(name).get<std::vector<std::vector<double>>>();
}

inline const std::string kJourney = R"("sentence": "Your journey starts with one step", "embeddings": "journey.json")";
// Section 3.3: no trainable weights, no scaling.
inline const std::string kSimplified = "{" + kJourney + R"(, "projection": "none", "scale": false})";
// Section 3.4: torch.manual_seed(123), three torch.rand(3, 2), scaled by √2.
inline const std::string kTrainable = "{" + kJourney + R"(, "projection": "rand", "seed": 123, "d_out": 2})";
// Section 3.6.2: MultiHeadAttention, two heads split from one projection, then out_proj.
inline const std::string kSplit =
    "{" + kJourney + R"(, "projection": "linear", "seed": 123, "d_out": 2, "causal": true, "heads": 2, "multihead": "split"})";
inline const std::string kItBall = R"({"sentence": "The dog chased the ball, and it rolled away."})";

inline std::string exercise_text(const std::string& run, const std::string& ask, const std::string& extra = "") {
  return fmt::format(R"({{"id": "t", "title": "T", "topic": "test", "source": "a test", "run": {}, "task": ["compute it"],
    "ask": {}, "hints": ["look closely"]{}}})",
                     run, ask, extra);
}

inline Exercise make(const std::string& run, const std::string& ask, const std::string& extra = "") {
  return parse_exercise(exercise_text(run, ask, extra), "t.json");
}

using test::num;
using test::tok;
using test::vec;

inline std::vector<double> softmax(const std::vector<double>& x) {
  double sum = 0.0;
  for (double v : x) sum += std::exp(v);
  std::vector<double> out;
  for (double v : x) out.push_back(std::exp(v) / sum);
  return out;
}

// Σ_j w[j] · rows[j].
inline std::vector<double> weigh(const std::vector<double>& w, const std::vector<std::vector<double>>& rows) {
  std::vector<double> z(rows.at(0).size(), 0.0);
  for (std::size_t j = 0; j < w.size(); ++j)
    for (std::size_t c = 0; c < z.size(); ++c) z[c] += w[j] * rows[j][c];
  return z;
}

inline std::vector<double> column(const std::vector<std::vector<double>>& m, std::size_t j) {
  std::vector<double> c;
  for (const auto& row : m) c.push_back(row.at(j));
  return c;
}

inline std::vector<double> row_as_doubles(const Matrix& m, std::size_t i) {
  std::vector<double> r;
  for (std::size_t c = 0; c < m.cols; ++c) r.push_back(m(i, c));
  return r;
}

inline void expect_near(const Answer& a, const std::vector<double>& want, double tolerance) {
  ASSERT_EQ(a.kind, Kind::vector);
  ASSERT_EQ(a.vector.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(a.vector[i], want[i], tolerance) << "component " << i + 1;
}

// check() names `mistake` for `given`, and its nudge holds `needle`.
inline void expect_mistake(const Exercise& ex, const Answer& given, const std::string& mistake, const std::string& needle = "") {
  const Verdict v = check(ex, given);
  EXPECT_FALSE(v.correct);
  ASSERT_TRUE(v.mistake.has_value()) << "no mistake named; nudge: " << v.nudge;
  EXPECT_EQ(*v.mistake, mistake) << v.nudge;
  EXPECT_NE(v.nudge.find(needle), std::string::npos) << v.nudge;
}

inline bool has_mistake(const Exercise& ex, const std::string& name) {
  const auto list = mistakes_of(ex);
  return std::any_of(list.begin(), list.end(), [&](const Mistake& m) { return m.name == name; });
}

// Every variant's value, fed back, is named as that variant, never accepted.
inline void expect_variants_named(const Exercise& ex) {
  const Answer correct = solve(ex);
  for (const Mistake& m : mistakes_of(ex)) {
    EXPECT_NE(closeness(m.value, correct, precision_of(ex)), Closeness::printed) << ex.id << ": " << m.name;
    EXPECT_FALSE(m.nudge.empty()) << ex.id << ": " << m.name;
    const Verdict v = check(ex, m.value);
    EXPECT_FALSE(v.correct) << ex.id << ": " << m.name;
    EXPECT_EQ(v.mistake.value_or("(none)"), m.name) << ex.id;
    EXPECT_EQ(v.nudge, m.nudge) << ex.id;
  }
}

}  // namespace attn::exercise_testing

// The helpers by their short names, for the exercise test files that include this.
namespace attn {
using exercise_testing::Kind;
using exercise_testing::json;
using exercise_testing::golden;
using exercise_testing::golden_vector;
using exercise_testing::golden_matrix;
using exercise_testing::kJourney;
using exercise_testing::kSimplified;
using exercise_testing::kTrainable;
using exercise_testing::kSplit;
using exercise_testing::kItBall;
using exercise_testing::exercise_text;
using exercise_testing::make;
using exercise_testing::softmax;
using exercise_testing::weigh;
using exercise_testing::column;
using exercise_testing::row_as_doubles;
using exercise_testing::expect_near;
using exercise_testing::expect_mistake;
using exercise_testing::has_mistake;
using exercise_testing::expect_variants_named;
}  // namespace attn
