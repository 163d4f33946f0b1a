// The trace JSON contract (docs/trace-format.md).
#include "attn/trace_json.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/explorer.hpp"
#include "test_util.hpp"

namespace attn {
namespace {

using ordered = nlohmann::ordered_json;

TEST(TraceJson, FloatsAreShortestRoundTripAndNonFiniteIsNull) {
  EXPECT_EQ(float_to_json(0.1f).dump(), "0.1");  // not 0.10000000149011612
  EXPECT_EQ(float_to_json(0.4306f).dump(), "0.4306");
  EXPECT_EQ(float_to_json(1.0f / 3.0f).dump(), "0.33333334");
  EXPECT_TRUE(float_to_json(std::numeric_limits<float>::quiet_NaN()).is_null());
  EXPECT_TRUE(float_to_json(std::numeric_limits<float>::infinity()).is_null());
  for (float f : {1e-30f, 3.4e38f, -7.123456e-5f, 0.29611194f}) {
    EXPECT_EQ(static_cast<float>(float_to_json(f).get<double>()), f);
  }
}

TEST(TraceJson, HasEveryKeyOfTheContract) {
  Request r;
  r.sentence = "Your journey starts";
  r.projection = Projection::rand;
  r.d_out = 2;
  const Trace t = explore(r, load_table(test::bundled("journey.json")));
  // Parse the formatted text back: the text is the contract, not the object.
  const nlohmann::json j = nlohmann::json::parse(format_json(trace_to_json(t)));
  EXPECT_EQ(j["schema"], "attn-explain/trace@1");
  EXPECT_EQ(j["sentence"], "Your journey starts");
  EXPECT_EQ(j["tokens"], (nlohmann::json{"Your", "journey", "starts"}));
  for (const char* key : {"embeddings", "table_name", "projection", "seed", "d_in", "d_out", "heads", "scale",
                          "softmax", "oov"}) {
    EXPECT_TRUE(j["config"].contains(key)) << key;
  }
  EXPECT_EQ(j["config"]["projection"], "rand");
  EXPECT_EQ(j["config"]["seed"], 123);
  EXPECT_EQ(j["inputs"].size(), 3u);
  EXPECT_EQ(j["inputs"][1], (nlohmann::json{0.55, 0.87, 0.66}));
  ASSERT_EQ(j["heads"].size(), 1u);
  const auto& h = j["heads"][0];
  for (const char* key : {"W_query", "W_key", "W_value", "queries", "keys", "values", "scores", "scaled_scores",
                          "weights", "context"}) {
    EXPECT_TRUE(h.contains(key)) << key;
  }
  EXPECT_EQ(h["W_query"].size(), 3u);     // d_in rows
  EXPECT_EQ(h["W_query"][0].size(), 2u);  // d_out columns
  EXPECT_EQ(h["scores"].size(), 3u);
  EXPECT_EQ(h["scores"][0].size(), 3u);
  EXPECT_EQ(static_cast<float>(h["queries"][1][0].get<double>()), t.heads[0].queries(1, 0));
  EXPECT_EQ(j["output"], h["context"]);
}

TEST(TraceJson, NoProjectionGivesNullWeights) {
  Request r;
  r.sentence = "Your journey";
  r.projection = Projection::none;
  const Trace t = explore(r, load_table(test::bundled("journey.json")));
  const nlohmann::json j = nlohmann::json::parse(format_json(trace_to_json(t)));
  EXPECT_TRUE(j["heads"][0]["W_query"].is_null());
  EXPECT_TRUE(j["heads"][0]["W_value"].is_null());
}

TEST(TraceJson, FormatKeepsNumberRowsOnOneLineAndKeyOrder) {
  ordered j = ordered::object();
  j["b"] = 1;
  j["a"] = ordered::array({ordered::array({1, 2}), ordered::array({3, 4})});
  EXPECT_EQ(format_json(j), "{\n  \"b\": 1,\n  \"a\": [\n    [1, 2],\n    [3, 4]\n  ]\n}\n");
}

}  // namespace
}  // namespace attn
