// The book's printed numbers (Raschka, "Build a Large Language Model (From
// Scratch)", ch. 3, copied into tests/golden/ch03-golden.json from the project's
// reference file) must come out of the engine to the four decimals printed.
#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/explorer.hpp"
#include "test_util.hpp"

namespace attn {
namespace {

// The book rounds to four decimals: a value printed as 0.9544 lies within half
// a unit of the last place of it.
constexpr double kPrinted = 0.5e-4 + 1e-6;

const nlohmann::json& golden() {
  static const nlohmann::json j = test::read_json(test::test_data("golden/ch03-golden.json"));
  return j;
}

Trace journey(const std::string& projection, bool scale, std::optional<std::size_t> d_out = std::nullopt) {
  Request r;
  r.sentence = "Your journey starts with one step";
  r.projection = value_named(kProjectionNames, projection);  // "auto": nothing
  r.scale = scale;
  r.seed = 123;
  r.d_out = d_out;
  return explore(r, load_table(test::bundled("journey.json")));
}

void expect_row(const Matrix& m, std::size_t row, const nlohmann::json& expected, const std::string& what) {
  ASSERT_EQ(m.cols, expected.size()) << what;
  for (std::size_t c = 0; c < m.cols; ++c) {
    EXPECT_NEAR(m(row, c), expected[c].get<double>(), kPrinted) << what << " row " << row << " column " << c;
  }
}

void expect_matrix(const Matrix& m, const nlohmann::json& expected, const std::string& what) {
  ASSERT_EQ(m.rows, expected.size()) << what;
  for (std::size_t r = 0; r < m.rows; ++r) expect_row(m, r, expected[r], what);
}

TEST(Golden, JourneyTableHoldsTheBooksInputs) {
  const Trace t = journey("none", false);
  ASSERT_EQ(t.tokens.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(t.tokens[i], golden()["tokens"][i].get<std::string>());
  expect_matrix(t.inputs, golden()["inputs"], "inputs");
  EXPECT_TRUE(t.oov_tokens.empty());
}

TEST(Golden, SimplifiedAttentionAllSixRows) {
  const auto& g = golden()["simplified_no_weights"];
  const Trace t = journey("none", false);
  const HeadTrace& h = t.heads.at(0);
  EXPECT_FALSE(h.W_query.has_value());
  expect_matrix(h.attn_scores, g["attn_scores"], "attn_scores");
  expect_matrix(h.attn_weights, g["attn_weights"], "attn_weights");
  expect_matrix(h.context_vec, g["all_context_vecs"], "all_context_vecs");
  expect_row(h.attn_scores, 1, g["attn_scores_2"], "attn_scores_2");
  expect_row(h.context_vec, 1, g["context_vec_2"], "context_vec_2");
  expect_matrix(t.output, g["all_context_vecs"], "output");
}

TEST(Golden, TrainableWeightsSeed123) {
  const auto& g = golden()["trainable_weights_seed_123"];
  const Trace t = journey("rand", true, 2);
  const HeadTrace& h = t.heads.at(0);
  ASSERT_TRUE(h.W_query.has_value());
  EXPECT_EQ(h.W_query->rows, 3u);
  EXPECT_EQ(h.W_query->cols, 2u);
  expect_row(h.queries, 1, g["query_2"], "query_2");
  EXPECT_NEAR(h.attn_scores(1, 1), g["attn_score_22"].get<double>(), kPrinted);
  expect_row(h.attn_scores, 1, g["attn_scores_2"], "attn_scores_2");
  expect_row(h.attn_weights, 1, g["attn_weights_2"], "attn_weights_2");
  expect_row(h.context_vec, 1, g["context_vec_2"], "context_vec_2");
  EXPECT_FLOAT_EQ(h.scale_divisor, std::sqrt(2.0f));
}

}  // namespace
}  // namespace attn

namespace attn {
namespace {

// Row 2 of the book's naive softmax (exp over sum, no max subtracted) equals the
// stable softmax mathematically; the engine's stable softmax must print it.
TEST(Golden, SoftmaxRowMatchesTheBooksNaiveSoftmax) {
  const auto& g = golden()["simplified_no_weights"];
  const Trace t = journey("none", false);
  expect_row(t.heads.at(0).attn_weights, 1, g["attn_weights_2_softmax_naive"], "attn_weights_2_softmax_naive");
}

}  // namespace
}  // namespace attn

#include "attention.hpp"
#include "parameters.hpp"

namespace attn {
namespace {

// The book (section 3.5.2): torch.manual_seed(123); nn.Dropout(0.5) on a 6 × 6 matrix of ones.
TEST(Golden, DropoutOnOnesSeed123) {
  const auto& expected = golden()["dropout_on_ones_seed_123"]["result"];
  TorchGenerator gen(123);
  const Matrix mask = dropout_mask(gen, 6, 6, 0.5);
  const float keep_scale = 1.0f / 0.5f;
  for (std::size_t r = 0; r < 6; ++r)
    for (std::size_t c = 0; c < 6; ++c) EXPECT_EQ(1.0f * mask(r, c) * keep_scale, expected[r][c].get<float>()) << r << "," << c;
}

// Exercise 3.3: the GPT-2-size MultiHeadAttention has 2,360,064 parameters.
TEST(Golden, MultiheadParameterCount) {
  const auto& g = golden()["multihead_parameter_count"];
  EXPECT_EQ(count_parameters(768, 768, 12, Multihead::split, false).total, g["parameters"].get<std::uint64_t>());
  // The wrapper with 12 heads of 64 columns holds the same projections, without out_proj.
  EXPECT_EQ(count_parameters(768, 64, 12, Multihead::wrapper, false).total, 3u * 768u * 768u);
  EXPECT_EQ(count_parameters(3, 2, 1, Multihead::wrapper, true).total, 3u * (3u * 2u + 2u));
}

// The sum-normalised weights of section 3.3.1 (attn_weights_2_tmp).
TEST(Golden, SumNormalisedWeights) {
  const auto& g = golden()["simplified_no_weights"];
  Request r;
  r.sentence = "Your journey starts with one step";
  r.projection = Projection::none;
  r.scale = false;
  r.softmax = Softmax::sum;
  const Trace t = explore(r, load_table(test::bundled("journey.json")));
  expect_row(t.heads.at(0).attn_weights, 1, g["attn_weights_2_sum_normalized"], "attn_weights_2_sum_normalized");
}

}  // namespace
}  // namespace attn
