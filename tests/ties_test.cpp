// Equal weights are a tie, never a ranking (issue 12, item 2): the engine's
// strongest_keys(), the tables' "attends most to" lines and bold cells, the
// focus sentence and a lesson's claim. The expected weights are worked by
// hand from the made-up table below (projection none, no scaling, so the
// scores are the dot products x_i · x_j).
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/explorer.hpp"
#include "attn/teach/lesson.hpp"
#include "attn/render/render_focus.hpp"
#include "attn/render/render_table.hpp"
#include "attn/token_lookup.hpp"
#include "attn/trace_stats.hpp"

namespace attn {
namespace {

// a = (1, 0); b, c, d, e = (0, 1); z = (0, 0). Row a scores (1, 0, 0, 0, 0, 0):
// e/(e + 5) = 0.3522 and 1/(e + 5) = 0.1296. Row b scores (0, 1, 1, 1, 1, 0):
// four keys at e/(4e + 2) = 0.2112. Row z scores all 0: 1/6 = 0.1667 each.
// h = (0.5, 0): its row scores (0.25, 0, ...): e^0.25/(e^0.25 + 5) = 0.2043, the
// rest 1/(e^0.25 + 5) = 0.1591 each, more than half the top.
const EmbeddingTable& tie_table() {
  static const EmbeddingTable table = parse_table(
      R"({"dim": 2, "vectors": {"a": [1, 0], "b": [0, 1], "c": [0, 1], "d": [0, 1], "e": [0, 1], "z": [0, 0],
          "h": [0.5, 0]}})",
      "ties.json");
  return table;
}

Trace run(const std::string& sentence, bool causal = false) {
  Request r;
  r.sentence = sentence;
  r.projection = Projection::none;
  r.scale = false;
  r.causal = causal;
  return explore(r, tie_table());
}

std::string table_text(const Trace& t) {
  RenderOptions options = with_precision(4);
  return render_walkthrough(t, options);
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(StrongestKeys, EqualPrintedWeightsAreATieAndAUniformRowIsEven) {
  const std::vector<float> row{0.2f, 0.3f, 0.30001f, 0.2f};
  const StrongestKeys tie = strongest_keys(row, 4, 4);
  EXPECT_EQ(tie.keys, (std::vector<std::size_t>{1, 2}));
  EXPECT_FALSE(tie.even);
  // At nine decimals 0.30001 stands alone.
  EXPECT_EQ(strongest_keys(row, 4, 9).keys, (std::vector<std::size_t>{2}));
  const std::vector<float> uniform{0.25f, 0.25f, 0.25f, 0.25f};
  EXPECT_TRUE(strongest_keys(uniform, 4, 4).even);
  // Under the causal mask only the visible keys count: one visible key is not "even".
  const std::vector<float> first{1.0f, 0.0f, 0.0f};
  const StrongestKeys alone = strongest_keys(first, 1, 4);
  EXPECT_EQ(alone.keys, (std::vector<std::size_t>{0}));
  EXPECT_FALSE(alone.even);
}

TEST(StrongestKeys, ANonFiniteWeightLeavesNoWinner) {
  const std::vector<float> row{std::numeric_limits<float>::quiet_NaN(), 0.5f};
  EXPECT_TRUE(strongest_keys(row, 2, 4).keys.empty());
  const std::vector<float> inf{std::numeric_limits<float>::infinity(), 0.5f};
  EXPECT_TRUE(strongest_keys(inf, 2, 4).keys.empty());
}

TEST(TiesInTables, AttendsMostNamesEveryTiedKeyOrSaysEvenlySpread) {
  const std::string text = table_text(run("a b c d e z"));
  EXPECT_TRUE(has(text, "    a → a (0.3522)\n")) << text;
  EXPECT_TRUE(has(text, "    b → b, c, d and 1 more, tied (0.2112 each)\n")) << text;
  EXPECT_TRUE(has(text, "    z → evenly spread (0.1667 each)\n")) << text;
  const std::string two = table_text(run("b c z"));
  EXPECT_TRUE(has(two, "    b → b and c, tied (0.4223 each)\n")) << two;
}

TEST(TiesInTables, ANaNRowNamesNoKey) {
  Request r;
  r.sentence = "Big numbers break naive softmax";
  r.projection = Projection::none;
  r.scale = false;
  r.softmax = Softmax::naive;
  const Trace t = explore(r, load_table(std::string(ATTN_DATA_DIR) + "/overflow.json"));
  const std::string text = table_text(t);
  EXPECT_TRUE(has(text, "    Big     → no key: its weights are not numbers\n")) << text;
  EXPECT_FALSE(has(text, "Big     → Big")) << text;
}

TEST(TiesInTables, BoldMarksEveryTiedMaximumAndNoCellOfAnEvenRow) {
  const std::string bold = "\x1b[1m";
  const Trace t = run("b c z");
  const std::vector<std::string> labels{"b", "c", "z"};
  const std::string text = render_matrix(t.heads[0].attn_weights, labels, labels, 4, {true, Shade::sequential, true});
  std::vector<std::string> lines;
  for (std::size_t from = 0, to; (to = text.find('\n', from)) != std::string::npos; from = to + 1)
    lines.push_back(text.substr(from, to - from));
  ASSERT_EQ(lines.size(), 4u) << text;
  auto count = [&](const std::string& line) {
    std::size_t n = 0;
    for (std::size_t at = line.find(bold); at != std::string::npos; at = line.find(bold, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count(lines[1]), 2u) << lines[1];  // b: b and c tie
  EXPECT_EQ(count(lines[3]), 0u) << lines[3];  // z: every key the same
}

TEST(TiesInFocus, TiedKeysAndTiedRunnersUpAreNamedTogether) {
  const Trace t = run("b c z");
  const std::string b = render_focus(t, find_focus(t, "b"), FocusOptions{4, false, std::nullopt});
  EXPECT_TRUE(has(b, "\"b\" attends most to \"b\" and \"c\", tied at 0.4223")) << b;
  const std::string z = render_focus(t, find_focus(t, "z"), FocusOptions{4, false, std::nullopt});
  EXPECT_TRUE(has(z, "\"z\" spreads its attention evenly: each of the 3 keys it sees gets 0.3333.")) << z;
  const Trace many = run("h b c d e z");
  const std::string h = render_focus(many, find_focus(many, "h"), FocusOptions{4, false, std::nullopt});
  EXPECT_TRUE(has(h, "\"h\" attends most to \"h\" (0.2043), then to \"b\", \"c\", \"d\" and 2 more (0.1591 each).")) << h;
}

TEST(TiesInLessons, AClaimOnATiedRowIsFalse) {
  Lesson lesson;
  lesson.steps.resize(1);
  lesson.steps[0].expect = LessonExpectation{"b", "b", std::nullopt, std::nullopt, std::nullopt};
  std::vector<StepRun> runs(1);
  runs[0].trace = run("b c z");
  const std::optional<std::string> claim = first_false_claim(lesson, runs);
  ASSERT_TRUE(claim.has_value());
  EXPECT_TRUE(has(*claim, "\"b\" gives 2 keys the same largest weight (0.4223), \"b\" and \"c\" among them")) << *claim;
  runs[0].trace = run("a b c d e z");
  lesson.steps[0].expect = LessonExpectation{"a", "a", std::nullopt, std::nullopt, std::nullopt};
  EXPECT_FALSE(first_false_claim(lesson, runs).has_value());
}

}  // namespace
}  // namespace attn
