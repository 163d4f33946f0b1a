// Exercises: the format's errors naming the file, the book's numbers solved
// from small exercises written here, every usual mistake recognised from a
// value computed independently (mostly the book's own printed numbers), the
// generic nudges, and every bundled exercise accepting its answer and
// refusing wrong ones.
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
#include "attn/error.hpp"
#include "exercise.hpp"
#include "attn/explorer.hpp"
#include "render_focus.hpp"
#include "answers.hpp"
#include "test_util.hpp"

namespace attn {
namespace {

using Kind = Answer::Kind;
using nlohmann::json;

const json& golden() {
  static const json g = test::read_json(test::test_data("golden/ch03-golden.json"));
  return g;
}
std::vector<double> golden_vector(const char* section, const char* name) {
  return golden().at(section).at(name).get<std::vector<double>>();
}
std::vector<std::vector<double>> golden_matrix(const char* section, const char* name) {
  return golden().at(section).at(name).get<std::vector<std::vector<double>>>();
}

const std::string kJourney = R"("sentence": "Your journey starts with one step", "embeddings": "journey.json")";
// Section 3.3: no trainable weights, no scaling.
const std::string kSimplified = "{" + kJourney + R"(, "projection": "none", "scale": false})";
// Section 3.4: torch.manual_seed(123), three torch.rand(3, 2), scaled by √2.
const std::string kTrainable = "{" + kJourney + R"(, "projection": "rand", "seed": 123, "d_out": 2})";
// Section 3.6.2: MultiHeadAttention, two heads split from one projection, then out_proj.
const std::string kSplit =
    "{" + kJourney + R"(, "projection": "linear", "seed": 123, "d_out": 2, "causal": true, "heads": 2, "multihead": "split"})";
const std::string kItBall = R"({"sentence": "The dog chased the ball, and it rolled away."})";

std::string exercise_text(const std::string& run, const std::string& ask, const std::string& extra = "") {
  return fmt::format(R"({{"id": "t", "title": "T", "topic": "test", "source": "a test", "run": {}, "task": ["compute it"],
    "ask": {}, "hints": ["look closely"]{}}})",
                     run, ask, extra);
}

Exercise make(const std::string& run, const std::string& ask, const std::string& extra = "") {
  return parse_exercise(exercise_text(run, ask, extra), "t.json");
}

using test::num;
using test::tok;
using test::vec;

std::vector<double> softmax(const std::vector<double>& x) {
  double sum = 0.0;
  for (double v : x) sum += std::exp(v);
  std::vector<double> out;
  for (double v : x) out.push_back(std::exp(v) / sum);
  return out;
}

// Σ_j w[j] · rows[j].
std::vector<double> weigh(const std::vector<double>& w, const std::vector<std::vector<double>>& rows) {
  std::vector<double> z(rows.at(0).size(), 0.0);
  for (std::size_t j = 0; j < w.size(); ++j)
    for (std::size_t c = 0; c < z.size(); ++c) z[c] += w[j] * rows[j][c];
  return z;
}

std::vector<double> column(const std::vector<std::vector<double>>& m, std::size_t j) {
  std::vector<double> c;
  for (const auto& row : m) c.push_back(row.at(j));
  return c;
}

std::vector<double> row_as_doubles(const Matrix& m, std::size_t i) {
  std::vector<double> r;
  for (std::size_t c = 0; c < m.cols; ++c) r.push_back(m(i, c));
  return r;
}

void expect_near(const Answer& a, const std::vector<double>& want, double tolerance) {
  ASSERT_EQ(a.kind, Kind::vector);
  ASSERT_EQ(a.vector.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(a.vector[i], want[i], tolerance) << "component " << i + 1;
}

// check() names `mistake` for `given`, and its nudge holds `needle`.
void expect_mistake(const Exercise& ex, const Answer& given, const std::string& mistake, const std::string& needle = "") {
  const Verdict v = check(ex, given);
  EXPECT_FALSE(v.correct);
  ASSERT_TRUE(v.mistake.has_value()) << "no mistake named; nudge: " << v.nudge;
  EXPECT_EQ(*v.mistake, mistake) << v.nudge;
  EXPECT_NE(v.nudge.find(needle), std::string::npos) << v.nudge;
}

bool has_mistake(const Exercise& ex, const std::string& name) {
  const auto list = mistakes_of(ex);
  return std::any_of(list.begin(), list.end(), [&](const Mistake& m) { return m.name == name; });
}

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

// Every variant's value, fed back, is named as that variant, never accepted.
void expect_variants_named(const Exercise& ex) {
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

// ───────────────────────────── the format ─────────────────────────────

void expect_refused(const std::string& text, const std::string& needle) {
  try {
    parse_exercise(text, "bad.json");
    ADD_FAILURE() << "accepted: " << text;
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("bad.json", 0), 0u) << e.what();
  }
}

TEST(ExerciseFormat, ReadsEveryField) {
  const Exercise ex = parse_exercise(R"({"$schema": "x", "id": "dot-product", "title": "One dot product", "topic": "scores",
    "difficulty": 2, "order": 7, "source": "Raschka, ch. 3.3.1",
    "run": {"sentence": "Your journey starts with one step", "embeddings": "journey.json", "projection": "none", "scale": false},
    "task": ["first", "", "second"], "show": ["inputs", "scores"],
    "ask": {"quantity": "score", "token": "journey", "key": 1}, "decimals": 3, "tolerance": 0.001, "hints": ["a", "b"]})",
                                     "dot-product.json");
  EXPECT_EQ(ex.id, "dot-product");
  EXPECT_EQ(ex.title, "One dot product");
  EXPECT_EQ(ex.topic, "scores");
  EXPECT_EQ(ex.source, "Raschka, ch. 3.3.1");
  EXPECT_EQ(ex.difficulty, 2);
  EXPECT_EQ(ex.order, 7);
  EXPECT_EQ(ex.settings.embeddings, "journey.json");
  EXPECT_EQ(ex.settings.request.projection, Projection::none);
  EXPECT_FALSE(ex.settings.request.scale);
  EXPECT_EQ(ex.task, (std::vector<std::string>{"first", "", "second"}));
  EXPECT_EQ(ex.show, (std::vector<Stage>{Stage::inputs, Stage::scores}));
  EXPECT_EQ(ex.ask.quantity, Quantity::score);
  EXPECT_EQ(ex.ask.token, "journey");
  EXPECT_EQ(ex.ask.key, "1");
  EXPECT_EQ(ex.decimals, 3);
  EXPECT_EQ(ex.tolerance, 0.001);
  EXPECT_EQ(ex.hints.size(), 2u);
  EXPECT_EQ(ex.path, "dot-product.json");
  // Defaults.
  const Exercise d = make(kSimplified, R"({"quantity": "scale_divisor"})");
  EXPECT_EQ(d.decimals, 4);
  EXPECT_EQ(d.tolerance, 0.5e-4);  // half a unit of the fourth decimal
  EXPECT_EQ(d.difficulty, 1);
  EXPECT_EQ(d.order, 0);
  EXPECT_TRUE(d.show.empty());
}

TEST(ExerciseFormat, RefusesBrokenFilesNamingThem) {
  const std::string ask = R"({"quantity": "score", "token": "journey", "key": "Your"})";
  expect_refused(exercise_text(kSimplified, ask, R"(, "colour": 1)"), "unknown key \"colour\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "score", "token": "a", "key": "b", "row": 1})"),
                 "\"ask\": unknown key \"row\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "magic"})"), "\"quantity\" is \"magic\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": 3})"), "\"quantity\" is a number");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "score", "token": "journey"})"),
                 "quantity \"score\" needs a \"key\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "weight", "key": "Your"})"),
                 "quantity \"weight\" needs a \"token\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "weights", "token": "journey", "key": "Your"})"),
                 "\"key\" is not used by quantity \"weights\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "scale_divisor", "token": "journey"})"),
                 "\"token\" is not used by quantity \"scale_divisor\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "weights", "token": "journey", "d_in": 3})"),
                 "\"d_in\" is only used by quantity \"parameter_count\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "weights", "token": 0})"), "\"token\" is 0");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "weights", "token": ""})"), "\"token\" is an empty string");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "weights", "token": ["a"]})"), "\"token\" is an array");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "parameter_count", "d_out": 2})"), "\"d_in\" is missing");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "parameter_count", "d_in": 3, "d_out": 10, "heads": 3, "multihead": "split"})"),
                 "multiple of \"heads\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "parameter_count", "d_in": 3, "d_out": 2, "multihead": "x"})"),
                 "\"multihead\" is \"x\"");
  expect_refused(exercise_text(kSimplified, ask, R"(, "tolerance": "small")"), "\"tolerance\" is a string");
  expect_refused(exercise_text(kSimplified, ask, R"(, "tolerance": -1)"), "\"tolerance\" is -1");
  expect_refused(exercise_text(kSimplified, ask, R"(, "decimals": 10)"), "\"decimals\" is 10, expected 0 to 9");
  expect_refused(exercise_text(kSimplified, ask, R"(, "decimals": 2.5)"), "\"decimals\" is");
  expect_refused(exercise_text(kSimplified, ask, R"(, "difficulty": 4)"), "\"difficulty\" is 4");
  expect_refused(exercise_text(kSimplified, ask, R"(, "show": ["scorez"])"), "\"show\" names \"scorez\"");
  expect_refused(exercise_text(kSimplified, ask, R"(, "show": "scores")"), "\"show\" is a string");
  expect_refused(R"({"id": "t", "title": "T", "topic": "x", "source": "s", "run": {"sentence": "a b"}, "task": ["t"],
    "ask": {"quantity": "scale_divisor"}, "hints": []})",
                 "\"hints\" is empty");
  expect_refused(R"({"id": "t", "title": "T", "topic": "x", "source": "s", "run": {"sentence": "a b"}, "task": ["t"],
    "ask": {"quantity": "scale_divisor"}, "hints": ["ok", " "]})",
                 "hint 2 is empty");
  expect_refused(R"({"id": "t", "title": "T", "topic": "x", "source": "s", "run": {"sentence": "a b"}, "task": ["t"],
    "ask": {"quantity": "scale_divisor"}, "hints": "one"})",
                 "\"hints\" is a string");
  expect_refused(R"({"id": "t", "title": "T", "topic": "x", "source": "s", "run": {"sentence": "a b"}, "task": [],
    "ask": {"quantity": "scale_divisor"}, "hints": ["h"]})",
                 "\"task\" is empty");
  expect_refused(R"({"id": "t", "title": "T", "topic": "x", "source": "s", "run": {"sentence": "a b"}, "task": ["t"],
    "hints": ["h"]})",
                 "\"ask\" is missing");
  expect_refused(R"({"id": "t", "title": "T", "topic": "x", "source": "s", "task": ["t"],
    "ask": {"quantity": "weights", "token": "a"}, "hints": ["h"]})",
                 "quantity \"weights\" needs a \"run\" with a \"sentence\"");
  expect_refused(exercise_text(R"({"sentence": "a b", "dropout": 1.5})", ask), "\"dropout\" is 1.5");
  expect_refused(exercise_text(R"({"sentence": "a b", "heads": "two"})", ask), "\"heads\" is a string");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "dropout_scale"})"), "\"dropout\" above 0");
  expect_refused(R"({"id": "12", "title": "T", "topic": "x", "source": "s", "task": ["t"],
    "ask": {"quantity": "parameter_count", "d_in": 1, "d_out": 1}, "hints": ["h"]})",
                 "\"id\" is \"12\"");
  expect_refused(R"({"id": "a b", "title": "T"})", "\"id\" is \"a b\"");
  expect_refused(R"({"id": "t", "id": "u"})", "duplicate key \"id\"");
  expect_refused(R"({"id": "t",)", "bad.json:1:");
  expect_refused(R"([1, 2])", "expected an object");
}

TEST(ExerciseFormat, TheIdMustBeTheFileName) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "attn-exercise-test";
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "other.json";
  std::ofstream(file) << exercise_text(kSimplified, R"({"quantity": "scale_divisor"})");
  try {
    load_exercise(file);
    ADD_FAILURE() << "accepted an id that is not the file name";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(file.string(), 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("\"id\" is \"t\", expected the file's name, \"other\""), std::string::npos)
        << e.what();
  }
  const std::filesystem::path good = dir / "t.json";
  std::ofstream(good) << exercise_text(kSimplified, R"({"quantity": "scale_divisor"})");
  EXPECT_EQ(load_exercise(good).path, good.string());
  std::filesystem::remove_all(dir);
}

void expect_unsolvable(const Exercise& ex, const std::string& needle, const std::string& hint_needle = "") {
  try {
    solve(ex);
    ADD_FAILURE() << "solved";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("t.json: ", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(e.hint().find(hint_needle), std::string::npos) << e.hint();
  }
  EXPECT_THROW(check(ex, num(1)), DataError);
  EXPECT_THROW(mistakes_of(ex), DataError);
}

TEST(ExerciseFormat, TokensAndRunsAreCheckedWhenSolved) {
  expect_unsolvable(make(kSimplified, R"({"quantity": "weights", "token": "cat"})"),
                    "\"ask\": \"token\" is \"cat\", which is not a token of the sentence", "journey");
  expect_unsolvable(make(kSimplified, R"({"quantity": "score", "token": "journey", "key": 9})"),
                    "\"key\" is 9, but the sentence has 6 tokens");
  expect_unsolvable(make("{" + kJourney + R"(, "projection": "rand", "d_out": 3, "heads": 2, "multihead": "split"})",
                         R"({"quantity": "scale_divisor"})"),
                    "--heads 2");
  expect_unsolvable(make(R"({"sentence": "a b", "embeddings": "no-such-table.json"})", R"({"quantity": "scale_divisor"})"),
                    "no-such-table.json");
}

TEST(ExerciseFormat, AnswerKinds) {
  EXPECT_EQ(answer_kind("score"), Kind::number);
  EXPECT_EQ(answer_kind("weights"), Kind::vector);
  EXPECT_EQ(answer_kind("output_shape"), Kind::vector);
  EXPECT_EQ(answer_kind("attends_most"), Kind::token);
  EXPECT_EQ(answer_kind("parameter_count"), Kind::number);
  EXPECT_THROW(answer_kind("magic"), UsageError);
  // Each quantity's solved answer has the kind it announces.
  for (const char* q : {"scores", "weights", "context", "query", "output"}) {
    EXPECT_EQ(solve(make(kTrainable, fmt::format(R"({{"quantity": "{}", "token": "journey"}})", q))).kind, answer_kind(q)) << q;
  }
}

TEST(ExerciseFormat, FindByIdOrPosition) {
  std::vector<Exercise> list;
  for (const char* id : {"first", "second"}) {
    list.push_back(parse_exercise(exercise_text(kSimplified, R"({"quantity": "scale_divisor"})").replace(8, 1, id), "x.json"));
  }
  ASSERT_EQ(list[1].id, "second");
  EXPECT_EQ(&find_exercise(list, "second"), &list[1]);
  EXPECT_EQ(&find_exercise(list, "1"), &list[0]);
  EXPECT_EQ(&find_exercise(list, "2"), &list[1]);
  for (const char* bad : {"third", "0", "3", "99999999999"}) {
    try {
      find_exercise(list, bad);
      ADD_FAILURE() << bad;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
      EXPECT_EQ(e.hint(), "exercises: first, second");
    }
  }
}

// ───────────────────────────── the bundled exercises ─────────────────────────────

// A wrong answer of the same kind: the value + 1, or another token of the sentence.
Answer clearly_wrong(const Exercise& ex, const Answer& correct) {
  Answer wrong = correct;
  if (correct.kind == Kind::number) wrong.number += 1.0;
  if (correct.kind == Kind::vector) wrong.vector.at(0) += 1.0;
  if (correct.kind == Kind::token) {
    Request r = ex.settings.request;
    const Trace t = explore(r, load_table(test::bundled(ex.settings.embeddings)));
    for (const std::string& other : t.tokens) {
      if (!answers_match(tok(other), correct, 0)) {
        wrong.token = other;
        break;
      }
    }
  }
  return wrong;
}

TEST(BundledExercises, AcceptTheirOwnAnswerAndRefuseWrongOnes) {
  const std::vector<Exercise> exercises = load_exercises();
  ASSERT_GE(exercises.size(), 15u);
  std::set<Quantity> quantities;
  for (const Exercise& ex : exercises) {
    SCOPED_TRACE(ex.id);
    EXPECT_EQ(std::filesystem::path(ex.path).stem().string(), ex.id);
    quantities.insert(ex.ask.quantity);
    Answer correct;
    ASSERT_NO_THROW(correct = solve(ex));
    EXPECT_EQ(correct.kind, answer_kind(ex.ask.quantity));
    // What the solution prints, typed back, is right.
    const Answer typed = parse_answer(format_answer(correct, 4), answer_kind(ex.ask.quantity));
    const Verdict right = check(ex, typed);
    EXPECT_TRUE(right.correct) << format_answer(correct, 4);
    EXPECT_TRUE(answers_match(right.expected, correct, 0.0));
    // A clearly wrong one is refused, with something to say.
    const Answer wrong = clearly_wrong(ex, correct);
    const Verdict v = check(ex, wrong);
    EXPECT_FALSE(v.correct) << format_answer(wrong, 4);
    EXPECT_FALSE(v.nudge.empty());
    // And every usual mistake is recognised as itself.
    expect_variants_named(ex);
  }
  EXPECT_GE(quantities.size(), 2u);
}

TEST(BundledExercises, UnknownIdListsThem) {
  const std::vector<Exercise> exercises = load_exercises();
  try {
    find_exercise(exercises, "nope");
    ADD_FAILURE();
  } catch (const UsageError& e) {
    for (const Exercise& ex : exercises) EXPECT_NE(e.hint().find(ex.id), std::string::npos) << ex.id;
  }
}

}  // namespace
}  // namespace attn
