// The memory estimate (memory_estimate.hpp) against real traces: it must count
// exactly the numbers and rows a Trace of those settings holds, whatever the
// projection, heads, mask and dropout; and explore() refuses over the budget
// before it computes. The trace's JSON text is format_json(trace_to_json(...)),
// byte for byte, for the same variety of traces.
#include "memory_estimate.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "test_util.hpp"
#include "attn/trace_json.hpp"

namespace attn {
namespace {

// A spread of runs over the default table (d_in 6): every optional stage, both
// ways of making heads, all projections.
std::vector<Request> variety() {
  std::vector<Request> out;
  auto add = [&](auto change) {
    Request r;
    r.sentence = "The dog chased the zebra, and it ran away.";
    change(r);
    out.push_back(r);
  };
  add([](Request&) {});
  add([](Request& r) { r.projection = Projection::none; });
  add([](Request& r) { r.projection = Projection::rand, r.d_out = 3, r.heads = 4; });
  add([](Request& r) { r.projection = Projection::linear, r.qkv_bias = true, r.d_out = 5, r.heads = 2; });
  add([](Request& r) { r.projection = Projection::linear, r.qkv_bias = true, r.d_out = 6, r.heads = 3,
                       r.multihead = Multihead::split; });
  add([](Request& r) { r.projection = Projection::none, r.heads = 2, r.multihead = Multihead::split; });
  add([](Request& r) { r.multihead = Multihead::split, r.heads = 3; });  // the table's weights, split
  add([](Request& r) { r.causal = true; });
  add([](Request& r) { r.causal = true, r.causal_method = CausalMethod::renorm, r.projection = Projection::rand; });
  add([](Request& r) { r.dropout = 0.5, r.dropout_seed = 7, r.causal = true, r.heads = 2, r.projection = Projection::rand; });
  add([](Request& r) { r.sentence = "a"; });
  return out;
}

TEST(MemoryEstimate, CountsExactlyWhatATraceHolds) {
  const EmbeddingTable table = load_table(test::bundled("default.json"));
  for (const Request& r : variety()) {
    const Trace t = explore(r, table);
    const MemoryEstimate predicted = estimate_memory(t.settings, t.tokens.size(), r.sentence.size(), 16);
    const MemoryEstimate counted = count_trace(t);
    const std::string what = fmt::format("projection {}, heads {} {}, d_out {}, causal {}, dropout {}",
                                         to_string(t.settings.projection), t.settings.heads,
                                         to_string(t.settings.multihead), t.settings.d_out, t.settings.causal,
                                         t.settings.dropout);
    EXPECT_EQ(predicted.numbers, counted.numbers) << what;
    EXPECT_EQ(predicted.rows, counted.rows) << what;
    EXPECT_GT(predicted.bytes, 4 * counted.numbers + kProgramBytes) << what;
  }
}

TEST(MemoryEstimate, CountsByHand) {
  // 2 tokens, d_in 3, 2 wrapper heads of width 4, causal: per head 3 weights of
  // 3 × 4 and q, k, v, context of 2 × 4 (36 + 32), and 4 stages of 2 × 2 (16);
  // inputs 2 × 3, concatenated and output 2 × 8 each.
  Settings s;
  s.projection = Projection::rand;
  s.d_in = 3;
  s.d_out = 4;
  s.head_dim = 4;
  s.heads = 2;
  s.causal = true;
  const MemoryEstimate e = estimate_memory(s, 2, 10, 0);
  EXPECT_EQ(e.numbers, 6u + 2 * (36 + 32 + 16) + 16 + 16);
  EXPECT_EQ(e.rows, 2u + 2 * (9 + 8 + 8) + 2 + 2);
  // 4 bytes a number, and the weights drawn besides the heads' copies (2 sets of 3 × 12).
  EXPECT_EQ(e.bytes, 4 * (e.numbers + 72) + e.rows * kTextBytesPerRow + 10 * 15 + 2 * 64 + kProgramBytes);
}

TEST(MemoryEstimate, SaturatesInsteadOfOverflowing) {
  Settings s;
  s.projection = Projection::rand;
  s.d_in = s.d_out = s.head_dim = std::size_t{1} << 40;
  s.heads = std::size_t{1} << 40;
  EXPECT_EQ(estimate_memory(s, std::size_t{1} << 40, 0, 16).bytes, std::numeric_limits<std::uint64_t>::max());
}

TEST(MemoryEstimate, ExploreRefusesOverTheBudgetNamingEstimateAndLimit) {
  const EmbeddingTable table = load_table(test::bundled("default.json"));
  Request r;
  r.sentence = "How are you doing today, my dear friend?";  // 10 tokens
  r.projection = Projection::rand;
  r.heads = 256;
  r.d_out = 4096;
  try {
    explore(r, table);
    FAIL() << "a run of some 1.5 GiB was not refused";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("more than the limit of 1 GiB"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("about 1."), std::string::npos) << e.what();
    // The hint names the key; the CLI shows it as its option (error.hpp).
    EXPECT_NE(name_keys(e.hint()).find("max_memory 2G"), std::string::npos) << e.hint();
    EXPECT_NE(name_keys(e.hint(), [](std::string_view key) { return "--" + std::string(key); }).find("--max-memory 2G"),
              std::string::npos)
        << e.hint();
  }
  r.heads = 1;
  r.memory.limit = 1 << 20;
  EXPECT_THROW(explore(r, table), DataError);
}

TEST(MemoryEstimate, DescribesSizesRoundedUp) {
  EXPECT_EQ(describe_bytes(std::uint64_t{1} << 30), "1 GiB");
  EXPECT_EQ(describe_bytes((std::uint64_t{1} << 30) + 1), "1.1 GiB");
  EXPECT_EQ(describe_bytes(std::uint64_t{10} << 20), "10 MiB");
  EXPECT_EQ(describe_bytes((std::uint64_t{3} << 29)), "1.5 GiB");
  EXPECT_EQ(describe_bytes(640 * 1024), "640 KiB");
}

TEST(TraceJsonText, IsTheFormattedTreeByteForByte) {
  const EmbeddingTable table = load_table(test::bundled("default.json"));
  for (const Request& r : variety()) {
    const Trace t = explore(r, table);
    EXPECT_EQ(trace_json_text(t), format_json(trace_to_json(t)));
  }
  // Values the runs above do not reach: non-finite numbers, large and tiny ones,
  // empty matrices, strings with quotes, control characters and bytes that are not UTF-8.
  Trace t = explore(variety().front(), table);
  t.heads[0].attn_scores(0, 0) = std::numeric_limits<float>::quiet_NaN();
  t.heads[0].attn_scores(0, 1) = -std::numeric_limits<float>::infinity();
  t.heads[0].attn_scores(1, 0) = 1.23456789e14f;
  t.heads[0].attn_scores(1, 1) = -1.17549435e-38f;
  t.heads[0].attn_scores(1, 2) = 3.4028235e38f;
  t.heads[0].attn_scores(2, 0) = -0.0f;
  t.heads[0].attn_scores(2, 1) = 1e-45f;
  t.heads[0].scale_divisor = 123456.0f;
  t.concatenated = Matrix();
  t.settings.table_path = "a \"quoted\" \\ path\x01\x1b\xff\xfe";
  t.settings.dropout = 0.1;
  t.settings.dropout_seed = std::numeric_limits<std::uint64_t>::max();
  t.settings.seed = 0;
  t.warnings = {"one", "two\nlines"};
  t.oov_tokens = {};
  EXPECT_EQ(trace_json_text(t), format_json(trace_to_json(t)));
}

}  // namespace
}  // namespace attn
