// Numerical trouble is named by stage and row, once, and never invented.
#include "numeric_check.hpp"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/explorer.hpp"
#include "attn/trace_json.hpp"
#include "test_util.hpp"

namespace attn {
namespace {

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

Trace run(const std::string& table_json, const std::string& sentence, const std::string& projection = "none",
          bool scale = false, Softmax softmax = Softmax::stable) {
  Request r;
  r.sentence = sentence;
  r.projection = value_named(kProjectionNames, projection);  // "auto": nothing
  r.scale = scale;
  r.softmax = softmax;
  return explore(r, parse_table(table_json, "test.json"));
}

TEST(NumericCheck, EveryBundledTableAndLessonSettingIsQuiet) {
  for (const char* name : {"default.json", "journey.json", "journey-sa-v2.json"}) {
    const EmbeddingTable table = load_table(test::bundled(name));
    Request r;
    r.sentence = "Your journey starts with one step";
    for (bool causal : {false, true}) {
      r.causal = causal;
      for (CausalMethod m : {CausalMethod::inf, CausalMethod::renorm}) {
        r.causal_method = m;
        r.dropout = causal ? 0.5 : 0.0;
        const Trace t = explore(r, table);
        EXPECT_TRUE(t.warnings.empty()) << name << ": " << joined(t.warnings);
      }
    }
  }
}

TEST(NumericCheck, AScoreThatOverflowsNamesTheScoresAndTheRowOnce) {
  // big · big = 2e40 > 3.4e38; big · small = 2e20 and small · small are fine.
  const Trace t = run(R"({"dim": 2, "vectors": {"big": [1e20, 1e20], "small": [1, 1]}})", "big small");
  ASSERT_TRUE(std::isinf(t.heads[0].attn_scores(0, 0)));
  ASSERT_TRUE(std::isnan(t.heads[0].attn_weights(0, 0)));  // inf - inf in the stable softmax
  ASSERT_EQ(t.warnings.size(), 1u) << joined(t.warnings);
  EXPECT_TRUE(has(t.warnings[0], "attention scores, row 1 (\"big\"): 1 value overflowed float32 (inf)")) << t.warnings[0];
  EXPECT_TRUE(has(t.warnings[0], "queries and keys are too large")) << t.warnings[0];
}

TEST(NumericCheck, TheNaiveSoftmaxOverflowIsExplained) {
  // The score 20 · 20 = 400 is finite, but exp(400) is not: inf / inf = NaN.
  const Trace t = run(R"({"dim": 1, "vectors": {"big": [20], "small": [1]}})", "big small", "none", false, Softmax::naive);
  ASSERT_EQ(t.warnings.size(), 1u) << joined(t.warnings);
  EXPECT_TRUE(has(t.warnings[0], "attention weights, row 1 (\"big\"): 1 is not a number (NaN)")) << t.warnings[0];
  EXPECT_TRUE(has(t.warnings[0], "naive softmax overflowed")) << t.warnings[0];
  // Same scores, stable softmax: no trouble at all.
  EXPECT_TRUE(run(R"({"dim": 1, "vectors": {"big": [20], "small": [1]}})", "big small").warnings.empty());
}

TEST(NumericCheck, ASumNormalisationOverZeroIsExplained) {
  // Each row of scores is [1, -1] or [-1, 1]: it sums to 0.
  const Trace t = run(R"({"dim": 2, "vectors": {"a": [1, 0], "b": [-1, 0]}})", "a b", "none", false, Softmax::sum);
  ASSERT_EQ(t.warnings.size(), 2u) << joined(t.warnings);
  EXPECT_TRUE(has(t.warnings[0], "attention weights, row 1 (\"a\")")) << t.warnings[0];
  EXPECT_TRUE(has(t.warnings[1], "attention weights, row 2 (\"b\")")) << t.warnings[1];
  EXPECT_TRUE(has(t.warnings[0], "sum to 0")) << t.warnings[0];
}

TEST(NumericCheck, QueriesThatOverflowAreNamedBeforeTheScores) {
  // 3e38 · 10 overflows the query; the key (3e38 · 1) does not.
  const Trace t = run(R"({"dim": 1, "vectors": {"huge": [3e38]},
                         "weights": {"W_query": [[10]], "W_key": [[1]], "W_value": [[1]]}})",
                      "huge", "table");
  ASSERT_FALSE(t.warnings.empty());
  EXPECT_TRUE(has(t.warnings[0], "queries, row 1 (\"huge\"): 1 value overflowed float32")) << joined(t.warnings);
  EXPECT_EQ(t.warnings.size(), 1u) << "later stages of the same row are not repeated: " << joined(t.warnings);
}

TEST(NumericCheck, ManyBadRowsAreCountedNotListed) {
  const Trace t = run(R"({"dim": 1, "vectors": {"big": [1e20]}})", "big big big big big");
  ASSERT_EQ(t.warnings.size(), kMaxRowsNamed + 1) << joined(t.warnings);
  EXPECT_TRUE(has(t.warnings[2], "row 3")) << joined(t.warnings);
  EXPECT_EQ(t.warnings.back(), "attention scores: 2 more rows with values that are not finite");
}

TEST(NumericCheck, AnOutProjOverflowIsNamedAtTheOutputAndCounted) {
  // Tiny query and key weights keep the scores finite; the values are 3e38, and
  // out_proj (seed 3) adds two of them: the heads are fine, the output is not.
  Request r;
  r.sentence = "big big big big big";
  r.heads = 2;
  r.multihead = Multihead::split;
  r.seed = 3;
  const Trace t = explore(r, parse_table(R"({"dim": 2, "vectors": {"big": [3e38, 3e38]},
      "weights": {"W_query": [[1e-20, 1e-20], [1e-20, 1e-20]], "W_key": [[1e-20, 1e-20], [1e-20, 1e-20]],
                  "W_value": [[1, 0], [0, 1]]}})", "t.json"));
  for (const HeadTrace& h : t.heads)
    for (float v : h.context_vec.data) ASSERT_TRUE(std::isfinite(v));
  ASSERT_EQ(t.warnings.size(), kMaxRowsNamed + 1) << joined(t.warnings);
  EXPECT_TRUE(has(t.warnings[0], "output, row 1 (\"big\"): 1 value overflowed float32 (inf); out_proj")) << t.warnings[0];
  EXPECT_EQ(t.warnings.back(), "output: 2 more rows with values that are not finite");
}

TEST(NumericCheck, SeveralHeadsAreNamed) {
  Request r;
  r.sentence = "big small";
  r.projection = Projection::rand;
  r.heads = 2;
  const Trace t = explore(r, parse_table(R"({"dim": 2, "vectors": {"big": [1e20, 1e20], "small": [1, 1]}})", "t.json"));
  const std::string all = joined(t.warnings);
  EXPECT_TRUE(has(all, "head 1, attention scores, row 1 (\"big\")")) << all;
  EXPECT_TRUE(has(all, "head 2, attention scores, row 1 (\"big\")")) << all;
}

TEST(NumericCheck, TheCausalMasksMinusInfinityIsNotTrouble) {
  Request r;
  r.sentence = "Your journey starts with one step";
  r.causal = true;
  const Trace t = explore(r, load_table(test::bundled("journey.json")));
  ASSERT_TRUE(t.heads[0].masked_scores);
  ASSERT_TRUE(std::isinf((*t.heads[0].masked_scores)(0, 5)));
  EXPECT_TRUE(t.warnings.empty()) << joined(t.warnings);
}

TEST(NumericCheck, ALongTokenIsElidedInTheWarning) {
  const std::string word(5000, 'x');
  const Trace t = run(R"({"dim": 1, "vectors": {"big": [1e20]}})", "big " + word, "none", false);
  // The unknown word is hashed into the table's range [1e20, 1e20], so its scores overflow too.
  ASSERT_EQ(t.warnings.size(), 2u) << joined(t.warnings);
  EXPECT_TRUE(has(t.warnings[1], "row 2 (\"xxxxxxxxxxxxxxxxxxx…\")")) << t.warnings[1].substr(0, 300);
  EXPECT_LT(t.warnings[1].size(), 300u);
}

TEST(NumericCheck, TheTraceJsonHasNullAndTheWarnings) {
  const Trace t = run(R"({"dim": 1, "vectors": {"big": [20], "small": [1]}})", "big small", "none", false, Softmax::naive);
  const nlohmann::json j = trace_to_json(t);
  EXPECT_TRUE(j["heads"][0]["weights"][0][0].is_null());
  EXPECT_FALSE(j["heads"][0]["weights"][1][0].is_null());
  ASSERT_EQ(j["warnings"].size(), 1u);
  EXPECT_EQ(j["warnings"][0], t.warnings[0]);
}

}  // namespace
}  // namespace attn
