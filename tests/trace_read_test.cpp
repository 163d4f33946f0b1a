// A saved trace reads back into the Trace it came from: written again, the
// JSON is the same bytes, for every kind of run (issue 13, item 3). A file
// that is not a whole trace is one DataError naming the file and the key.
#include "attn/trace_read.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "test_util.hpp"
#include "attn/trace_json.hpp"

namespace attn {
namespace {

const EmbeddingTable& table_named(const std::string& name) {
  static std::map<std::string, EmbeddingTable> tables;
  auto it = tables.find(name);
  if (it == tables.end()) it = tables.emplace(name, load_table(test::bundled(name))).first;
  return it->second;
}

struct RunCase {
  const char* what;
  Request request;
  const char* table = "default.json";
};

std::vector<RunCase> runs() {
  std::vector<RunCase> out;
  auto add = [&](const char* what, auto change, const char* table = "default.json") {
    Request r;
    r.sentence = "The dog chased the ball, and it rolled away.";
    change(r);
    out.push_back({what, r, table});
  };
  add("default", [](Request&) {});
  add("projection none", [](Request& r) { r.projection = Projection::none; });
  add("rand, d_out 2", [](Request& r) { r.projection = Projection::rand; r.d_out = 2; });
  add("linear with biases", [](Request& r) { r.projection = Projection::linear; r.qkv_bias = true; });
  add("causal inf", [](Request& r) { r.causal = true; });
  add("causal renorm", [](Request& r) { r.causal = true; r.causal_method = CausalMethod::renorm; });
  add("dropout", [](Request& r) { r.dropout = 0.5; r.dropout_seed = 7; });
  add("three wrapper heads", [](Request& r) { r.heads = 3; r.projection = Projection::rand; });
  add("split heads", [](Request& r) { r.heads = 2; r.multihead = Multihead::split; r.projection = Projection::rand; r.d_out = 4; });
  add("one split head", [](Request& r) { r.multihead = Multihead::split; r.projection = Projection::linear; });
  add("sum normalisation", [](Request& r) { r.softmax = Softmax::sum; r.oov = OovPolicy::zero; });
  add("unknown words hashed", [](Request& r) { r.sentence = "The zorblax chased it."; });
  add("unknown words zero", [](Request& r) { r.sentence = "The zorblax chased it."; r.oov = OovPolicy::zero; });
  add("naive softmax overflowing to nan", [](Request& r) {
    r.sentence = "Big numbers break naive softmax";
    r.projection = Projection::none;
    r.scale = false;
    r.softmax = Softmax::naive;
  }, "overflow.json");
  return out;
}

TEST(TraceRead, EveryKindOfRunReadsBackToTheSameBytes) {
  for (const RunCase& run : runs()) {
    const Trace t = explore(run.request, table_named(run.table));
    const std::string written = format_json(trace_to_json(t));
    const Trace back = parse_trace(written, "t.json");
    EXPECT_EQ(format_json(trace_to_json(back)), written) << run.what;
    // The very float32 values, not just the same digits.
    EXPECT_EQ(back.heads.front().attn_weights.data == t.heads.front().attn_weights.data,
              run.request.softmax != Softmax::naive)  // NaN != NaN in the overflowing run
        << run.what;
  }
}

TEST(TraceRead, NullAboveTheCausalDiagonalIsTheMasksMinusInfinity) {
  Request r;
  r.sentence = "How are you doing?";
  r.causal = true;
  const Trace back = parse_trace(format_json(trace_to_json(explore(r, table_named("default.json")))), "t.json");
  EXPECT_EQ((*back.heads[0].masked_scores)(0, 3), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isfinite((*back.heads[0].masked_scores)(3, 0)));
}

std::string error_of(const std::string& text) {
  try {
    parse_trace(text, "t.json");
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TraceRead, WhatIsNotAWholeTraceIsNamed) {
  Request r;
  r.sentence = "How are you doing?";
  const nlohmann::json good = nlohmann::json::parse(format_json(trace_to_json(explore(r, table_named("default.json")))));
  EXPECT_EQ(error_of(R"({"dim": 2, "vectors": {}})").rfind("t.json: not a trace: \"schema\" is not", 0), 0u);
  nlohmann::json j = good;
  j["heads"][0]["weights"][2].erase(1);
  EXPECT_EQ(error_of(j.dump()), "t.json: heads[1].weights: row 3 has 4 values, expected 5");
  j = good;
  j["heads"][0].erase("scores");
  EXPECT_EQ(error_of(j.dump()), "t.json: heads[1]: \"scores\" is missing");
  j = good;
  j["config"]["heads"] = 2;
  EXPECT_EQ(error_of(j.dump()), "t.json: \"heads\" holds 1 heads, the config says 2");
  j = good;
  j["heads"][0]["masked_scores"] = j["heads"][0]["scores"];
  EXPECT_EQ(error_of(j.dump()), "t.json: heads[1]: \"masked_scores\" is given, but the config has no such stage");
  j = good;
  j["inputs"][0][0] = 1e39;
  EXPECT_EQ(error_of(j.dump()).rfind("t.json: inputs: row 1 column 1: 1e+39 is beyond the float32 range", 0), 0u)
      << error_of(j.dump());
  j = good;
  j["token_kinds"][1] = "weird";
  EXPECT_EQ(error_of(j.dump()), "t.json: \"token_kinds\" holds \"weird\", expected known, hashed, zero, piece or bytes");
  j = good;
  j["token_kinds"].erase(0);
  EXPECT_EQ(error_of(j.dump()), "t.json: \"token_kinds\" has 4 kinds, expected one per token (5)");
  j = good;
  j.erase("token_kinds");  // a trace written before the kinds were recorded: every token known
  EXPECT_EQ(error_of(j.dump()), "(no error)");
  j = good;
  j["dimension_names"] = {"a", "b"};
  EXPECT_EQ(error_of(j.dump()), "t.json: \"dimension_names\" has 2 names, expected d_in = 6");
  j = good;
  j["future_key"] = {{"anything", 1}};  // keys are only ever added: ignored
  EXPECT_EQ(error_of(j.dump()), "(no error)");
  EXPECT_EQ(error_of(good.dump().substr(0, 100)).rfind("t.json:1:101: malformed JSON", 0), 0u) << error_of(good.dump().substr(0, 100));
}

// Issue 23, item 16: a trace whose shapes are right but which contradicts itself.
TEST(TraceRead, ATraceThatContradictsItselfIsRefusedNamingTheKey) {
  Request r;
  r.sentence = "How are you doing?";
  r.heads = 2;
  r.multihead = Multihead::split;
  r.projection = Projection::rand;
  r.d_out = 4;
  r.causal = true;
  const nlohmann::json good = nlohmann::json::parse(format_json(trace_to_json(explore(r, table_named("default.json")))));
  ASSERT_EQ(error_of(good.dump()), "(no error)");
  nlohmann::json j = good;
  j["heads"][1]["scale"] = 0;
  EXPECT_EQ(error_of(j.dump()), "t.json: heads[2].scale is 0, expected 1.4142135 (config.scale is true, head_dim 2)");
  j = good;
  j["heads"][0]["scale"] = nullptr;
  EXPECT_EQ(error_of(j.dump()).rfind("t.json: heads[1].scale is nan, expected 1.4142135", 0), 0u) << error_of(j.dump());
  j = good;
  j["heads"][0]["weights"][1][0] = 2.0;
  EXPECT_EQ(error_of(j.dump()), "t.json: heads[1].weights: row 2 column 1 is 2, expected a weight from 0 to 1 (or null)");
  j = good;
  j["heads"][0]["weights"][3][0] = -0.25;
  EXPECT_EQ(error_of(j.dump()), "t.json: heads[1].weights: row 4 column 1 is -0.25, expected a weight from 0 to 1 (or null)");
  j = good;
  j["heads"][1]["weights"][2] = {0.25, 0.25, 0.0, 0.0, 0.0};
  EXPECT_EQ(error_of(j.dump()), "t.json: heads[2].weights: row 3 sums to 0.5, expected 1 (a row of softmax weights)");
  j = good;
  j["heads"][1]["masked_scores"][0][4] = 3.0;
  EXPECT_EQ(error_of(j.dump()),
            "t.json: heads[2].masked_scores: row 1 column 5 is 3, expected null (the causal mask, above the diagonal)");
  j = good;
  j["config"]["head_dim"] = 4;  // the sizes are checked before the shapes they make
  EXPECT_EQ(error_of(j.dump()), "t.json: config.head_dim is 4, expected 2 (d_out 4 split into 2 heads)");
  // A null (a value that was not finite) is allowed anywhere a number is, and skips the row's sum.
  j = good;
  j["heads"][0]["weights"][2][0] = nullptr;
  EXPECT_EQ(error_of(j.dump()), "(no error)");
}

TEST(TraceRead, TheSumNormalisationsWeightsAreAnyNumber) {
  Request r;
  r.sentence = "How are you doing?";
  r.softmax = Softmax::sum;
  const nlohmann::json good = nlohmann::json::parse(format_json(trace_to_json(explore(r, table_named("default.json")))));
  nlohmann::json j = good;
  j["heads"][0]["weights"][0][0] = 7.5;  // x / sum(x) can be any number
  EXPECT_EQ(error_of(j.dump()), "(no error)");
}

TEST(TraceRead, DropoutMasksHoldZerosAndOnes) {
  Request r;
  r.sentence = "How are you doing?";
  r.dropout = 0.5;
  r.dropout_seed = 3;
  nlohmann::json j = nlohmann::json::parse(format_json(trace_to_json(explore(r, table_named("default.json")))));
  ASSERT_EQ(error_of(j.dump()), "(no error)");
  j["heads"][0]["dropout_mask"][1][2] = 0.5;
  EXPECT_EQ(error_of(j.dump()), "t.json: heads[1].dropout_mask: row 2 column 3 is 0.5, expected 0 or 1");
}

}  // namespace
}  // namespace attn
