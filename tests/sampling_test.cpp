// sample_token() (sampling.hpp): the kept tokens laid end to end, most likely first,
// and the draw u picks the stretch that holds it.
#include "sampling.hpp"

#include <map>
#include <vector>

#include <gtest/gtest.h>

namespace attn {
namespace {

TEST(Sampling, EachTokenIsChosenForTheDrawsInItsShare) {
  // 0.5, 0.3, 0.2 laid end to end: [0, 0.5) → id 2, [0.5, 0.8) → id 0, [0.8, 1) → id 1
  const std::vector<float> p = {0.3f, 0.2f, 0.5f};
  EXPECT_EQ(sample_token(p, 0, 0.0f).id, 2);
  EXPECT_EQ(sample_token(p, 0, 0.49f).id, 2);
  EXPECT_EQ(sample_token(p, 0, 0.51f).id, 0);
  EXPECT_EQ(sample_token(p, 0, 0.79f).id, 0);
  EXPECT_EQ(sample_token(p, 0, 0.81f).id, 1);
  EXPECT_EQ(sample_token(p, 0, 0.9999f).id, 1);
  const Sampled middle = sample_token(p, 0, 0.6f);
  EXPECT_FLOAT_EQ(middle.share, 0.3f);
  EXPECT_FLOAT_EQ(middle.cumulative, 0.8f);
}

TEST(Sampling, EvenlySpacedDrawsChooseEachTokenAsOftenAsItsProbability) {
  const std::vector<float> p = {0.1f, 0.4f, 0.25f, 0.05f, 0.2f};
  std::map<int, int> chosen;
  const int draws = 10000;
  for (int k = 0; k < draws; ++k) ++chosen[sample_token(p, 0, (static_cast<float>(k) + 0.5f) / draws).id];
  for (std::size_t id = 0; id < p.size(); ++id) EXPECT_NEAR(chosen[static_cast<int>(id)] / double(draws), p[id], 2e-4) << id;
}

TEST(Sampling, TopKKeepsTheLikeliestAndRenormalises) {
  const std::vector<float> p = {0.1f, 0.4f, 0.25f, 0.05f, 0.2f};
  // top 2: ids 1 (0.4) and 2 (0.25), shares 0.4/0.65 and 0.25/0.65
  for (float u : {0.0f, 0.3f, 0.6f}) EXPECT_EQ(sample_token(p, 2, u).id, 1) << u;
  for (float u : {0.62f, 0.9f, 0.999f}) EXPECT_EQ(sample_token(p, 2, u).id, 2) << u;
  EXPECT_NEAR(sample_token(p, 2, 0.9f).share, 0.25 / 0.65, 1e-6);
  for (float u : {0.0f, 0.5f, 0.999f}) EXPECT_EQ(sample_token(p, 1, u).id, 1) << "top 1 is the argmax";
}

TEST(Sampling, ASharpDistributionAlwaysGivesTheArgmaxAndTiesGoToTheLowerId) {
  const std::vector<float> sharp = {0.0f, 1.0f, 0.0f};
  for (float u : {0.0f, 0.5f, 0.99999f}) EXPECT_EQ(sample_token(sharp, 0, u).id, 1);
  const std::vector<float> tied = {0.25f, 0.25f, 0.25f, 0.25f};
  EXPECT_EQ(sample_token(tied, 0, 0.1f).id, 0);
  EXPECT_EQ(sample_token(tied, 0, 0.3f).id, 1);
  EXPECT_EQ(sample_token(tied, 0, 0.99f).id, 3);
}

}  // namespace
}  // namespace attn
