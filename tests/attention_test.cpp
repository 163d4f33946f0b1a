// Properties of one attention head (attend_head) that hold for any input.
#include "attention.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "attn/softmax.hpp"
#include "torch_random.hpp"
#include "test_util.hpp"

namespace attn {
namespace {

// One head with only the scaling chosen: the book's SelfAttention.
HeadTrace attend(const Matrix& x, const std::optional<Parameters>& p, bool scale) {
  AttentionOptions options;
  options.scale = scale;
  return attend_head(x, p, options);  // no dropout: no generator
}

Matrix random_inputs(std::size_t n, std::size_t d, std::uint64_t seed) {
  TorchGenerator gen(seed);
  Matrix x(n, d);
  for (float& v : x.data) v = gen.uniform(-2.0f, 2.0f);
  return x;
}

Parameters random_parameters(std::size_t d_in, std::size_t d_out, std::uint64_t seed) {
  TorchGenerator gen(seed);
  return Parameters{gen.rand(d_in, d_out), gen.rand(d_in, d_out), gen.rand(d_in, d_out), {}, {}, {}};
}

TEST(Attention, EveryWeightRowSumsToOneAndIsPositive) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const std::size_t n = 1 + seed % 9, d = 1 + seed % 5;
    const HeadTrace h = attend(random_inputs(n, d, seed), random_parameters(d, 3, seed + 100), true);
    for (std::size_t i = 0; i < n; ++i) {
      double sum = 0;
      for (std::size_t j = 0; j < n; ++j) {
        EXPECT_GT(h.attn_weights(i, j), 0.0f);
        sum += h.attn_weights(i, j);
      }
      EXPECT_NEAR(sum, 1.0, 1e-6) << "seed " << seed << " row " << i;
    }
  }
}

TEST(Attention, PermutingTokensPermutesRowsAndColumns) {
  const std::size_t n = 7, d = 4;
  const Matrix x = random_inputs(n, d, 3);
  const Parameters p = random_parameters(d, 3, 4);
  const std::vector<std::size_t> perm = {3, 0, 6, 1, 5, 2, 4};  // new row i is old row perm[i]
  Matrix y(n, d);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < d; ++k) y(i, k) = x(perm[i], k);
  const HeadTrace a = attend(x, p, true);
  const HeadTrace b = attend(y, p, true);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      EXPECT_NEAR(b.attn_weights(i, j), a.attn_weights(perm[i], perm[j]), 1e-6);
    }
    for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(b.context_vec(i, k), a.context_vec(perm[i], k), 1e-5);
  }
}

TEST(Attention, WithoutParametersQueriesKeysAndValuesAreTheInputs) {
  const Matrix x = random_inputs(5, 3, 8);
  const HeadTrace h = attend(x, std::nullopt, false);
  EXPECT_EQ(h.queries, x);
  EXPECT_EQ(h.keys, x);
  EXPECT_EQ(h.values, x);
  EXPECT_FALSE(h.W_query.has_value());
  EXPECT_EQ(h.scale_divisor, 1.0f);
  EXPECT_EQ(h.scaled_scores, h.attn_scores);
}

TEST(Attention, ScoresAreDotProductsAndScalingDividesBySqrtDk) {
  const Matrix x = random_inputs(4, 6, 9);
  const Parameters p = random_parameters(6, 5, 10);
  const HeadTrace h = attend(x, p, true);
  EXPECT_FLOAT_EQ(h.scale_divisor, std::sqrt(5.0f));
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = 0; j < 4; ++j) {
      double dot = 0;
      for (std::size_t k = 0; k < 5; ++k) dot += double(h.queries(i, k)) * h.keys(j, k);
      EXPECT_NEAR(h.attn_scores(i, j), dot, 1e-5);
      EXPECT_FLOAT_EQ(h.scaled_scores(i, j), h.attn_scores(i, j) / std::sqrt(5.0f));
    }
  }
}

TEST(Attention, SoftmaxIsStableForHugeScores) {
  Matrix x(3, 2);
  x.data = {100.0f, 0.0f, 90.0f, 0.0f, -50.0f, 0.0f};  // scores up to 10,000: exp would overflow
  const HeadTrace h = attend(x, std::nullopt, false);
  for (float w : h.attn_weights.data) EXPECT_TRUE(std::isfinite(w));
  EXPECT_FLOAT_EQ(h.attn_weights(0, 0), 1.0f);
}

// The causal renormalisation's row sum: only the kept keys (0 … i), the sum the row is divided by.
TEST(Attention, KeptWeightSumAddsOnlyTheKeysUpToTheQuery) {
  const std::vector<float> weights = {0.5f, 0.25f, 0.125f, 0.125f};
  EXPECT_EQ(kept_weight_sum(weights, 0), 0.5f);
  EXPECT_EQ(kept_weight_sum(weights, 1), 0.75f);
  EXPECT_EQ(kept_weight_sum(weights, 3), 1.0f);
  const std::vector<float> renormalised = renormalise_causal(weights, 1);
  EXPECT_FLOAT_EQ(renormalised[0], 2.0f / 3.0f);
  EXPECT_FLOAT_EQ(renormalised[1], 1.0f / 3.0f);
  EXPECT_EQ(renormalised[2], 0.0f);
  EXPECT_EQ(renormalised[3], 0.0f);
}

}  // namespace
}  // namespace attn
