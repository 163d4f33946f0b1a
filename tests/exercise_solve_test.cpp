// Exercises: the book's numbers solved from small exercises written here
// (sections 3.3 to 3.6), and dropout, shapes and the it-ball sentence.
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
#include "exercise_testing.hpp"
#include "attn/teach/answer_read.hpp"

namespace attn {
namespace {

using test::num;
using test::tok;
using test::vec;

// ───────────────────────────── the book's numbers ─────────────────────────────

TEST(ExerciseSolve, BooksDotProductOmega21) {
  const Exercise ex = make(kSimplified, R"({"quantity": "score", "token": "journey", "key": "Your"})");
  const Answer a = solve(ex);
  EXPECT_EQ(a.kind, Kind::number);
  EXPECT_NEAR(a.number, 0.9544, 5e-5);
  // Positions as the book counts them, x(2) and x(1), name the same pair.
  EXPECT_EQ(solve(make(kSimplified, R"({"quantity": "score", "token": "2", "key": 1})")).number, a.number);
  EXPECT_TRUE(check(ex, parse_answer("0.9544", Kind::number)).correct);
}

TEST(ExerciseSolve, BooksSimplifiedRowsAndContext) {
  expect_near(solve(make(kSimplified, R"({"quantity": "scores", "token": "journey"})")),
              golden_vector("simplified_no_weights", "attn_scores_2"), 5e-5);
  expect_near(solve(make(kSimplified, R"({"quantity": "weights", "token": "journey"})")),
              golden_vector("simplified_no_weights", "attn_weights_2_softmax_naive"), 5e-5);
  expect_near(solve(make(kSimplified, R"({"quantity": "context", "token": "journey"})")),
              golden_vector("simplified_no_weights", "context_vec_2"), 5e-5);
  const Exercise by_sum = make(kSimplified.substr(0, kSimplified.size() - 1) + R"(, "softmax": "sum"})",
                               R"({"quantity": "weights", "token": "journey"})");
  expect_near(solve(by_sum), golden_vector("simplified_no_weights", "attn_weights_2_sum_normalized"), 5e-5);
}

TEST(ExerciseSolve, BooksTrainableWeightsSeed123) {
  expect_near(solve(make(kTrainable, R"({"quantity": "query", "token": "journey"})")),
              golden_vector("trainable_weights_seed_123", "query_2"), 5e-5);
  EXPECT_NEAR(solve(make(kTrainable, R"({"quantity": "score", "token": "journey", "key": "journey"})")).number, 1.8524, 5e-5);
  EXPECT_NEAR(solve(make(kTrainable, R"({"quantity": "scaled_score", "token": "journey", "key": "journey"})")).number,
              1.8524 / std::sqrt(2.0), 1e-4);
  expect_near(solve(make(kTrainable, R"({"quantity": "weights", "token": "journey"})")),
              golden_vector("trainable_weights_seed_123", "attn_weights_2"), 5e-5);
  EXPECT_NEAR(solve(make(kTrainable, R"({"quantity": "weight", "token": "journey", "key": "one"})")).number, 0.0906, 5e-5);
  const Exercise context = make(kTrainable, R"({"quantity": "context", "token": "journey"})");
  expect_near(solve(context), {0.3061, 0.8210}, 5e-5);
  EXPECT_TRUE(check(context, parse_answer("[0.3061, 0.8210]", Kind::vector)).correct);
  EXPECT_TRUE(check(context, parse_answer("0.3061 0.8210", Kind::vector)).correct);
}

TEST(ExerciseSolve, BooksMultiHeadAttentionOutput) {
  // docs/chapter3.md, 3.6.2: the output row of "Your" after out_proj.
  const Exercise ex = make(kSplit, R"({"quantity": "output", "token": "Your"})");
  expect_near(solve(ex), {0.3190, 0.4858}, 5e-5);
}

TEST(ExerciseSolve, BooksParameterCount) {
  const Exercise ex = parse_exercise(R"({"id": "p", "title": "P", "topic": "heads", "source": "ch. 3.6",
    "task": ["count"], "ask": {"quantity": "parameter_count", "d_in": 768, "d_out": 768, "heads": 12,
    "multihead": "split"}, "hints": ["count"]})",
                                     "p.json");
  EXPECT_EQ(ex.ask.multihead, Multihead::split);  // the book's MultiHeadAttention
  const Answer a = solve(ex);
  EXPECT_EQ(a.number, static_cast<double>(golden().at("multihead_parameter_count").at("parameters").get<int>()));
  EXPECT_EQ(a.number, 2360064.0);
  EXPECT_TRUE(a.whole);
  EXPECT_EQ(format_answer(a, 4), "2360064");
  EXPECT_TRUE(check(ex, parse_answer("2,360,064", Kind::number)).correct);
  EXPECT_TRUE(check(ex, parse_answer("2360064", Kind::number)).correct);
  EXPECT_FALSE(check(ex, parse_answer("2360065", Kind::number)).correct);
}

TEST(ExerciseSolve, DropoutScaleIsTwoAtHalf) {
  const Exercise ex = make(kTrainable.substr(0, kTrainable.size() - 1) + R"(, "dropout": 0.5})",
                           R"({"quantity": "dropout_scale"})");
  EXPECT_EQ(solve(ex).number, 2.0);  // golden: the kept ones of Dropout(0.5) are 2
  EXPECT_EQ(golden().at("dropout_on_ones_seed_123").at("result")[0][0].get<int>(), 2);
  EXPECT_TRUE(check(ex, parse_answer("2", Kind::number)).correct);
}

TEST(ExerciseSolve, ItAttendsMostToBallWithTheDefaultTable) {
  const Exercise ex = make(kItBall, R"({"quantity": "attends_most", "token": "it"})");
  const Answer a = solve(ex);
  EXPECT_EQ(a.kind, Kind::token);
  EXPECT_EQ(a.token, "ball");
  EXPECT_TRUE(check(ex, parse_answer("ball", Kind::token)).correct);
  EXPECT_TRUE(check(ex, parse_answer("\"Ball\"", Kind::token)).correct);
  EXPECT_FALSE(check(ex, parse_answer("dog", Kind::token)).correct);
}

TEST(ExerciseSolve, ShapesAndDivisors) {
  EXPECT_NEAR(solve(make(kTrainable, R"({"quantity": "scale_divisor"})")).number, std::sqrt(2.0), 1e-6);
  const Answer shape = solve(make(kTrainable, R"({"quantity": "output_shape"})"));
  EXPECT_EQ(shape.vector, (std::vector<double>{6, 2}));
  EXPECT_TRUE(shape.whole);
  const std::string wrapper = kTrainable.substr(0, kTrainable.size() - 1) + R"(, "heads": 2})";
  EXPECT_EQ(solve(make(wrapper, R"({"quantity": "output_shape"})")).vector, (std::vector<double>{6, 4}));
  // Split heads scale by the square root of their own width: d_out 4 / 2 heads.
  const std::string split = "{" + kJourney + R"(, "projection": "rand", "d_out": 4, "heads": 2, "multihead": "split"})";
  EXPECT_NEAR(solve(make(split, R"({"quantity": "scale_divisor"})")).number, std::sqrt(2.0), 1e-6);
  EXPECT_EQ(solve(make(kSimplified, R"({"quantity": "scale_divisor"})")).number, 1.0);  // --no-scale
}

TEST(ExerciseSolve, WeightsWithDropoutAreTheKeptOnesRescaled) {
  // No weights are drawn (projection none), so the mask of Dropout(0.5) after
  // torch.manual_seed(123) is the book's, row 2 of its matrix of ones.
  const Exercise ex = make(kSimplified.substr(0, kSimplified.size() - 1) + R"(, "dropout": 0.5, "dropout_seed": 123})",
                           R"({"quantity": "weights", "token": "journey"})");
  const std::vector<double> alpha = golden_matrix("simplified_no_weights", "attn_weights")[1];
  const auto mask = golden().at("dropout_on_ones_seed_123").at("result")[1].get<std::vector<double>>();  // 0 or 2
  std::vector<double> dropped, kept;
  for (std::size_t j = 0; j < alpha.size(); ++j) {
    dropped.push_back(alpha[j] * mask[j]);
    kept.push_back(alpha[j] * mask[j] / 2.0);
  }
  expect_near(solve(ex), dropped, 1e-4);
  expect_mistake(ex, vec(alpha), "before dropout", "1/(1 − p) = 2.0000");
  expect_mistake(ex, vec(kept), "not rescaled after dropout", "multiply each kept weight");
}

}  // namespace
}  // namespace attn
