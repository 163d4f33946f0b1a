// Exercises: every usual mistake recognised from a value computed independently
// (mostly the book's own printed numbers), and the generic nudges.
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
#include "attn/teach/answer_compare.hpp"

namespace attn {
namespace {

using test::num;
using test::tok;
using test::vec;

// ───────────────────────────── the usual mistakes ─────────────────────────────

TEST(ExerciseMistakes, UnscaledWeightsAreTheSoftmaxOfTheRawScores) {
  const Exercise ex = make(kTrainable, R"({"quantity": "weights", "token": "journey"})");
  const std::vector<double> unscaled = softmax(golden_vector("trainable_weights_seed_123", "attn_scores_2"));
  expect_mistake(ex, vec(unscaled), "unscaled", "√d_k = 1.4142");
  // One weight, unscaled, is named too.
  const Exercise one = make(kTrainable, R"({"quantity": "weight", "token": "journey", "key": "journey"})");
  expect_mistake(one, num(unscaled[1]), "unscaled");
}

TEST(ExerciseMistakes, WeightsScaledByDkInsteadOfItsRoot) {
  const Exercise ex = make(kTrainable, R"({"quantity": "weights", "token": "journey"})");
  std::vector<double> by_dk = golden_vector("trainable_weights_seed_123", "attn_scores_2");
  for (double& x : by_dk) x /= 2.0;
  expect_mistake(ex, vec(softmax(by_dk)), "scaled by d_k instead of √d_k", "d_k = 2");
}

TEST(ExerciseMistakes, SumNormalisedRowIsNamed) {
  const Exercise ex = make(kSimplified, R"({"quantity": "weights", "token": "journey"})");
  // The book's first normalisation: 0.1455 0.2278 0.2249 0.1285 0.1077 0.1656.
  expect_mistake(ex, vec(golden_vector("simplified_no_weights", "attn_weights_2_sum_normalized")), "sum instead of softmax",
                 "exp(score)");
  // And the other way round when the run divides by the sum.
  const Exercise by_sum = make(kSimplified.substr(0, kSimplified.size() - 1) + R"(, "softmax": "sum"})",
                               R"({"quantity": "weights", "token": "journey"})");
  expect_mistake(by_sum, vec(golden_vector("simplified_no_weights", "attn_weights_2_softmax_naive")),
                 "softmax instead of sum", "--softmax sum");
}

TEST(ExerciseMistakes, ScoresGivenForWeightsAreNotNormalised) {
  const Exercise ex = make(kSimplified, R"({"quantity": "weights", "token": "journey"})");
  expect_mistake(ex, vec(golden_vector("simplified_no_weights", "attn_scores_2")), "not normalised", "raw scores");
  const Exercise scaled = make(kTrainable, R"({"quantity": "weights", "token": "journey"})");
  std::vector<double> s = golden_vector("trainable_weights_seed_123", "attn_scores_2");
  expect_mistake(scaled, vec(s), "not normalised", "raw scores");
  for (double& x : s) x /= std::sqrt(2.0);
  expect_mistake(scaled, vec(s), "not normalised", "scaled scores");
}

TEST(ExerciseMistakes, WrongRowNamesTheToken) {
  const Exercise ex = make(kSimplified, R"({"quantity": "weights", "token": "journey"})");
  expect_mistake(ex, vec(golden_matrix("simplified_no_weights", "attn_weights")[0]), "wrong row", "the row of \"Your\"");
  expect_mistake(ex, vec(golden_matrix("simplified_no_weights", "attn_weights")[4]), "wrong row", "the row of \"one\"");
}

TEST(ExerciseMistakes, ColumnInsteadOfRow) {
  const Exercise ex = make(kSimplified, R"({"quantity": "weights", "token": "journey"})");
  expect_mistake(ex, vec(column(golden_matrix("simplified_no_weights", "attn_weights"), 1)), "column instead of row");
  // One weight: α(Your, journey) for α(journey, Your).
  const Exercise one = make(kSimplified, R"({"quantity": "weight", "token": "journey", "key": "Your"})");
  EXPECT_NEAR(solve(one).number, 0.1385, 5e-5);
  expect_mistake(one, num(0.2006), "column instead of row", "how much \"Your\" attends to \"journey\"");
  expect_mistake(one, num(0.2379), "wrong key", "the column of \"journey\"");
}

TEST(ExerciseMistakes, CausalWeightsWithoutTheMask) {
  const Exercise ex = make(kSimplified.substr(0, kSimplified.size() - 1) + R"(, "causal": true})",
                           R"({"quantity": "weights", "token": "journey"})");
  const std::vector<double> scores = golden_vector("simplified_no_weights", "attn_scores_2");
  const std::vector<double> two = softmax({scores[0], scores[1]});
  expect_near(solve(ex), {two[0], two[1], 0, 0, 0, 0}, 1e-4);
  expect_mistake(ex, vec(golden_vector("simplified_no_weights", "attn_weights_2_softmax_naive")), "no causal mask",
                 "the tokens before it");
  EXPECT_FALSE(has_mistake(make(kSimplified, R"({"quantity": "weights", "token": "journey"})"), "no causal mask"));
}

TEST(ExerciseMistakes, ScaledScore) {
  const Exercise ex = make(kTrainable, R"({"quantity": "scaled_score", "token": "journey", "key": "journey"})");
  expect_mistake(ex, num(1.8524), "unscaled", "before dividing by √d_k = 1.4142");
  expect_mistake(ex, num(1.8524 / 2.0), "scaled by d_k instead of √d_k", "d_k = 2 itself");
  expect_mistake(ex, num(1.8524 * std::sqrt(2.0)), "multiplied by √d_k");
  expect_mistake(ex, num(1.2705 / std::sqrt(2.0)), "wrong key", "\"Your\"");
}

TEST(ExerciseMistakes, ScoreSwappedScaledOrFromEmbeddings) {
  // ω(Your, journey) asked; ω(journey, Your) = 1.2705 is the book's.
  const Exercise ex = make(kTrainable, R"({"quantity": "score", "token": "Your", "key": "journey"})");
  expect_mistake(ex, num(1.2705), "keys and queries swapped", "the query of \"journey\" with the key of \"Your\"");
  const Exercise own = make(kTrainable, R"({"quantity": "score", "token": "journey", "key": "Your"})");
  EXPECT_NEAR(solve(own).number, 1.2705, 5e-5);
  expect_mistake(own, num(1.2705 / std::sqrt(2.0)), "scaled", "already divided");
  expect_mistake(own, num(0.9544), "embeddings instead of q and k", "x(journey)·x(Your)");
  expect_mistake(own, num(1.8524), "wrong key");
  // Without weights ω is symmetric: the swap cannot explain anything.
  EXPECT_FALSE(has_mistake(make(kSimplified, R"({"quantity": "score", "token": "journey", "key": "Your"})"),
                           "keys and queries swapped"));
}

TEST(ExerciseMistakes, ScoresRow) {
  const Exercise ex = make(kTrainable, R"({"quantity": "scores", "token": "journey"})");
  std::vector<double> s = golden_vector("trainable_weights_seed_123", "attn_scores_2");
  expect_near(solve(ex), s, 5e-5);
  for (double& x : s) x /= std::sqrt(2.0);
  expect_mistake(ex, vec(s), "scaled");
  expect_mistake(ex, vec(golden_vector("simplified_no_weights", "attn_scores_2")), "embeddings instead of q and k");
}

TEST(ExerciseMistakes, ContextVector) {
  const Exercise ex = make(kSimplified, R"({"quantity": "context", "token": "journey"})");
  const auto inputs = golden().at("inputs").get<std::vector<std::vector<double>>>();
  const auto alpha = golden_matrix("simplified_no_weights", "attn_weights");
  expect_mistake(ex, vec(weigh(golden_vector("simplified_no_weights", "attn_weights_2_sum_normalized"), inputs)),
                 "sum instead of softmax");
  expect_mistake(ex, vec(weigh(golden_vector("simplified_no_weights", "attn_scores_2"), inputs)), "not normalised",
                 "raw scores");
  expect_mistake(ex, vec(weigh(column(alpha, 1), inputs)), "column instead of row");
  expect_mistake(ex, vec(golden_matrix("simplified_no_weights", "all_context_vecs")[4]), "wrong row", "\"one\"");
}

TEST(ExerciseMistakes, TrainableContextFromEmbeddingsOrUnscaled) {
  const Exercise ex = make(kTrainable, R"({"quantity": "context", "token": "journey"})");
  const auto inputs = golden().at("inputs").get<std::vector<std::vector<double>>>();
  // The weights of journey times the embeddings: three numbers, not two.
  expect_mistake(ex, vec(weigh(golden_vector("trainable_weights_seed_123", "attn_weights_2"), inputs)),
                 "embeddings instead of values", "W_value");
  // The unscaled context: the softmax of the book's raw scores times V (V from the engine).
  Request r;
  r.sentence = "Your journey starts with one step";
  r.projection = Projection::rand;
  r.d_out = 2;
  const Trace t = explore(r, load_table(test::bundled("journey.json")));
  std::vector<std::vector<double>> values;
  for (std::size_t i = 0; i < t.tokens.size(); ++i) values.push_back(row_as_doubles(t.heads[0].values, i));
  expect_mistake(ex, vec(weigh(softmax(golden_vector("trainable_weights_seed_123", "attn_scores_2")), values)), "unscaled");
}

TEST(ExerciseMistakes, QueryFromTheWrongMatrix) {
  const Exercise ex = make(kTrainable, R"({"quantity": "query", "token": "journey"})");
  expect_mistake(ex, vec({0.4433, 1.1419}), "W_key instead of W_query", "the key of \"journey\"");  // the book's key_2
  expect_mistake(ex, vec(golden().at("inputs")[1].get<std::vector<double>>()), "embedding instead of query");
  expect_mistake(ex, vec({0.4300, 1.4343}), "wrong row", "\"starts\"");  // README, row "starts"
}

TEST(ExerciseMistakes, QueryBiasAndTransposedWeights) {
  const std::string run = "{" + kJourney + R"(, "projection": "linear", "d_out": 3, "qkv_bias": true})";
  const Exercise ex = make(run, R"({"quantity": "query", "token": "journey"})");
  Request r;
  r.sentence = "Your journey starts with one step";
  r.projection = Projection::linear;
  r.d_out = 3;
  r.qkv_bias = true;
  const Trace t = explore(r, load_table(test::bundled("journey.json")));
  const HeadTrace& h = t.heads[0];
  std::vector<double> no_bias, transposed;
  for (std::size_t c = 0; c < 3; ++c) {
    no_bias.push_back(h.queries(1, c) - (*h.b_query)[c]);
    double q = (*h.b_query)[c];
    for (std::size_t i = 0; i < 3; ++i) q += t.inputs(1, i) * (*h.W_query)(c, i);
    transposed.push_back(q);
  }
  expect_mistake(ex, vec(no_bias), "bias left out", "b_query");
  expect_mistake(ex, vec(transposed), "W_query transposed");
  expect_mistake(ex, vec(row_as_doubles(h.values, 1)), "W_value instead of W_query");
}

TEST(ExerciseMistakes, OutputBeforeOutProjOrOneHead) {
  const Exercise ex = make(kSplit, R"({"quantity": "output", "token": "Your"})");
  Request r;
  r.sentence = "Your journey starts with one step";
  r.projection = Projection::linear;
  r.d_out = 2;
  r.causal = true;
  r.heads = 2;
  r.multihead = Multihead::split;
  const Trace t = explore(r, load_table(test::bundled("journey.json")));
  const std::vector<double> joined = row_as_doubles(*t.concatenated, 0);
  expect_mistake(ex, vec(joined), "before out_proj", "out_proj's weight");
  std::vector<double> no_bias(2, 0.0);
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t i = 0; i < 2; ++i) no_bias[c] += joined[i] * t.out_proj->weight(i, c);
  expect_mistake(ex, vec(no_bias), "out_proj bias left out");
  expect_mistake(ex, vec(row_as_doubles(t.heads[0].context_vec, 0)), "only head 1");
  expect_mistake(ex, vec({0.2943, 0.3897}), "wrong row", "\"journey\"");  // docs/chapter3.md
}

TEST(ExerciseMistakes, AttendsMost) {
  const Exercise ex = make(kItBall, R"({"quantity": "attends_most", "token": "it"})");
  expect_mistake(ex, tok("dog"), "second largest", "0.1808");  // README: "then to dog (0.1808)"
  expect_mistake(ex, tok("it"), "itself", "0.0613");
  // The token that attends most to "it" (its column), found here from the trace.
  Request r;
  r.sentence = "The dog chased the ball, and it rolled away.";
  const Trace t = explore(r, load_table(test::bundled("default.json")));
  const std::size_t it = find_focus(t, "it");
  std::size_t best = 0;
  for (std::size_t i = 1; i < t.tokens.size(); ++i)
    if (t.heads[0].attn_weights(i, it) > t.heads[0].attn_weights(best, it)) best = i;
  ASSERT_EQ(t.tokens[best], ",");  // none of the answers above
  expect_mistake(ex, tok(t.tokens[best]), "column instead of row", "attends most to \"it\"");
  // The smallest weight of the row of "it".
  std::size_t least = 0;
  for (std::size_t j = 1; j < t.tokens.size(); ++j)
    if (t.heads[0].attn_weights(it, j) <= t.heads[0].attn_weights(it, least)) least = j;
  expect_mistake(ex, tok(t.tokens[least]), "least instead of most", "smallest weight");
  const Verdict v = check(ex, tok("cat"));
  EXPECT_FALSE(v.mistake.has_value());
  EXPECT_NE(v.nudge.find("\"cat\" is not a token of the sentence"), std::string::npos) << v.nudge;
}

TEST(ExerciseMistakes, DropoutScale) {
  const Exercise ex = make(kTrainable.substr(0, kTrainable.size() - 1) + R"(, "dropout": 0.1})",
                           R"({"quantity": "dropout_scale"})");
  EXPECT_NEAR(solve(ex).number, 1.0 / 0.9, 1e-6);
  expect_mistake(ex, num(0.1), "p itself", "1 / (1 − p)");
  expect_mistake(ex, num(0.9), "1 − p", "probability of keeping");
  expect_mistake(ex, num(10), "1/p");
  // At p = 0.5, 1/p is the answer and p = 1 − p: one variant is left.
  const Exercise half = make(kTrainable.substr(0, kTrainable.size() - 1) + R"(, "dropout": 0.5})",
                             R"({"quantity": "dropout_scale"})");
  const auto list = mistakes_of(half);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].name, "p itself");
}

TEST(ExerciseMistakes, ScaleDivisor) {
  const Exercise ex = make(kTrainable, R"({"quantity": "scale_divisor"})");
  expect_mistake(ex, num(2), "no square root", "d_k = 2 itself");
  expect_mistake(ex, num(1 / std::sqrt(2.0)), "reciprocal");
  expect_mistake(ex, num(std::sqrt(3.0)), "√d_in instead of √d_k");
  // Split heads: d_out = 8 in 2 heads of d_k = 4.
  const std::string split = "{" + kJourney + R"(, "projection": "rand", "d_out": 8, "heads": 2, "multihead": "split"})";
  expect_mistake(make(split, R"({"quantity": "scale_divisor"})"), num(std::sqrt(8.0)), "√d_out instead of √d_k");
  expect_mistake(make(split, R"({"quantity": "scale_divisor"})"), num(4), "no square root");
  expect_mistake(make(kSimplified, R"({"quantity": "scale_divisor"})"), num(std::sqrt(3.0)), "scaled", "--no-scale");
}

TEST(ExerciseMistakes, OutputShape) {
  const Exercise ex = make(kTrainable, R"({"quantity": "output_shape"})");
  expect_mistake(ex, vec({2, 6}), "transposed");
  expect_mistake(ex, vec({6, 3}), "input width");
  expect_mistake(ex, vec({6, 6}), "weights' shape");
  const std::string wrapper = kTrainable.substr(0, kTrainable.size() - 1) + R"(, "heads": 2})";
  expect_mistake(make(wrapper, R"({"quantity": "output_shape"})"), vec({6, 2}), "per-head width");
}

TEST(ExerciseMistakes, ParameterCount) {
  auto count = [](const std::string& ask) {
    return parse_exercise(R"({"id": "p", "title": "P", "topic": "heads", "source": "s", "task": ["count"], "ask": )" + ask +
                              R"(, "hints": ["count"]})",
                          "p.json");
  };
  const Exercise gpt2 =
      count(R"({"quantity": "parameter_count", "d_in": 768, "d_out": 768, "heads": 12, "multihead": "split"})");
  expect_mistake(gpt2, num(2360064 - 768), "without biases", "out_proj");
  expect_mistake(gpt2, num(3 * 768 * 768), "without out_proj");
  expect_mistake(gpt2, num(2360064 + 3 * 768), "with qkv biases", "bias=False");
  const Exercise wrapper =
      count(R"({"quantity": "parameter_count", "d_in": 3, "d_out": 2, "heads": 2, "multihead": "wrapper"})");
  EXPECT_EQ(solve(wrapper).number, 36.0);
  expect_mistake(wrapper, num(18), "one head only");
  const Verdict v = check(gpt2, num(12345));
  EXPECT_FALSE(v.mistake.has_value());
  EXPECT_NE(v.nudge.find("then out_proj"), std::string::npos) << v.nudge;
  // The wrapper's nudges name no out_proj but the slip of counting one.
  expect_mistake(wrapper, num(36 + 2 * 2 + 2), "with out_proj", "has none");
  EXPECT_EQ(check(wrapper, num(7)).nudge.find("out_proj: d_out"), std::string::npos);
}

TEST(ExerciseMistakes, NoVariantForAStepTheRunDoesNotTake) {
  const Exercise plain = make(kSimplified, R"({"quantity": "weights", "token": "journey"})");
  for (const char* absent : {"unscaled", "no causal mask", "before dropout", "not rescaled after dropout",
                             "scaled by d_k instead of √d_k", "softmax instead of sum"}) {
    EXPECT_FALSE(has_mistake(plain, absent)) << absent;
  }
  EXPECT_TRUE(has_mistake(plain, "sum instead of softmax"));
  EXPECT_TRUE(has_mistake(plain, "scaled"));  // dividing by √d_k though the run does not
}

TEST(ExerciseMistakes, EveryVariantIsNamedBackByCheck) {
  for (const Exercise& ex :
       {make(kSimplified, R"({"quantity": "weights", "token": "journey"})"),
        make(kTrainable, R"({"quantity": "weight", "token": "journey", "key": "Your"})"),
        make(kTrainable, R"({"quantity": "context", "token": "starts"})"),
        make(kTrainable, R"({"quantity": "scaled_score", "token": "with", "key": "step"})"),
        make(kSplit, R"({"quantity": "output", "token": "journey"})"), make(kItBall, R"({"quantity": "attends_most", "token": "it"})"),
        make(kTrainable.substr(0, kTrainable.size() - 1) + R"(, "causal": true, "dropout": 0.5, "dropout_seed": 7})",
             R"({"quantity": "weights", "token": "one"})")}) {
    expect_variants_named(ex);
  }
}

// ───────────────────────────── generic nudges ─────────────────────────────

TEST(ExerciseNudge, VectorsSayWhichComponentsAreOff) {
  const Exercise ex = make(kTrainable, R"({"quantity": "context", "token": "journey"})");
  Verdict v = check(ex, vec({0.3061, 0.95}));
  EXPECT_FALSE(v.correct);
  EXPECT_FALSE(v.mistake.has_value());
  EXPECT_NE(v.nudge.find("Component 2 (of 2) is off (not right to four decimals); the others are right."),
            std::string::npos)
      << v.nudge;
  EXPECT_EQ(v.nudge.find("Component 1"), std::string::npos) << v.nudge;
  v = check(ex, vec({0.1, 0.2, 0.3}));
  EXPECT_NE(v.nudge.find("The answer has 3 numbers; the context vector of \"journey\" has 2."), std::string::npos) << v.nudge;
  v = check(ex, vec({5, 5}));
  EXPECT_NE(v.nudge.find("Every component is off"), std::string::npos) << v.nudge;
  EXPECT_TRUE(answers_match(v.expected, vec({0.3061, 0.8210}), 5e-5));
}

TEST(ExerciseNudge, WeightsThatDoNotSumToOne) {
  const Exercise ex = make(kTrainable, R"({"quantity": "weights", "token": "journey"})");
  const Verdict v = check(ex, vec({0.5, 0.5, 0.5, 0.5, 0.5, 0.5}));
  EXPECT_FALSE(v.mistake.has_value());
  EXPECT_NE(v.nudge.find("sum to 3.0000, not 1"), std::string::npos) << v.nudge;
  EXPECT_NE(v.nudge.find("√d_k = 1.4142"), std::string::npos) << v.nudge;
}

TEST(ExerciseNudge, NumbersAndTokensSayWhereToLook) {
  Verdict v = check(make(kSimplified, R"({"quantity": "score", "token": "journey", "key": "Your"})"), num(7));
  EXPECT_FALSE(v.mistake.has_value());
  EXPECT_NE(v.nudge.find("the query of \"journey\" with the key of \"Your\""), std::string::npos) << v.nudge;
  v = check(make(kItBall, R"({"quantity": "attends_most", "token": "it"})"), tok("rolled"));
  EXPECT_FALSE(v.correct);
  EXPECT_FALSE(v.mistake.has_value());
  EXPECT_NE(v.nudge.find("\"rolled\" gets 0.0671 in the row of weights of \"it\""), std::string::npos) << v.nudge;
}

}  // namespace
}  // namespace attn
