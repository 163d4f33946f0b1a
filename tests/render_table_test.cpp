// The table renderer: numbers, alignment, and the stages in the tutorials' order.
#include "attn/render/render_table.hpp"

#include <cmath>
#include <sstream>

#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/explorer.hpp"
#include "attn/util/unicode.hpp"
#include "test_util.hpp"

namespace attn {
namespace {

// lines_of: text_layout.hpp's.

TEST(RenderTable, FormatsNumbersWithoutNegativeZero) {
  EXPECT_EQ(format_number(0.95443f, 4), "0.9544");
  EXPECT_EQ(format_number(-0.00001f, 4), "0.0000");
  EXPECT_EQ(format_number(-0.5f, 2), "-0.50");
  EXPECT_EQ(format_number(2.5f, 0), "2");
}

TEST(RenderTable, ColumnsLineUpInTerminalColumnsForAnyScript) {
  Matrix m(3, 3, 0.5f);
  m(1, 1) = -12.25f;
  const std::vector<std::string> labels = {"cat", "café", "猫"};
  const auto lines = lines_of(render_matrix(m, labels, labels, 2));
  ASSERT_EQ(lines.size(), 4u);
  const std::size_t width = display_width(lines[0]);
  for (const auto& line : lines) EXPECT_EQ(display_width(line), width) << line;
  EXPECT_NE(lines[2].find("-12.25"), std::string::npos);
}

// Issue 23, item 15: a probability that is not a number is "nan", whatever its sign bit.
TEST(RenderTable, APercentThatIsNotANumberIsNan) {
  EXPECT_EQ(percent(0.231f), "23.1%");
  EXPECT_EQ(percent(std::nanf("")), "nan");
  EXPECT_EQ(percent(-std::nanf("")), "nan");  // fmt would print "-nan%"
}

// Issue 23, item 12: a label shows a control or bidirectional character, never obeys it.
TEST(RenderTable, LabelsShowControlAndBidirectionalCharacters) {
  Matrix m(2, 1, 1.0f);
  const auto text = render_matrix(m, {"a\x1B[2J", "b\u202Ec"}, {"d0"}, 1);
  EXPECT_NE(text.find("a\\x1B[2J"), std::string::npos) << text;
  EXPECT_NE(text.find("b\\u202Ec"), std::string::npos) << text;
  EXPECT_EQ(text.find('\x1B'), std::string::npos);
  EXPECT_EQ(text.find("\u202E"), std::string::npos);
}

TEST(RenderTable, LongTokensAreCut) {
  Matrix m(1, 1, 1.0f);
  const auto text = render_matrix(m, {"supercalifragilisticexpialidocious"}, {"d0"}, 1);
  EXPECT_NE(text.find("…"), std::string::npos);
  EXPECT_EQ(text.find("docious"), std::string::npos);
}

TEST(RenderTable, WalkthroughShowsEveryStageInOrderWithItsFormula) {
  Request r;
  r.sentence = "Your journey starts with one step";
  r.projection = Projection::rand;
  r.d_out = 2;
  const Trace t = explore(r, load_table(test::bundled("journey.json")));
  const std::string text = render_walkthrough(t, with_precision(4));
  std::size_t at = 0;
  for (const char* title : {"Token embeddings  X", "W_query", "Queries  Q = X · W_query", "Keys  K = X · W_key",
                            "Values  V = X · W_value", "Attention scores  ω = Q · Kᵀ", "Scaled scores  ω / √d_k",
                            "Attention weights  α = softmax", "Context vectors  z = α · V"}) {
    const std::size_t found = text.find(title, at);
    ASSERT_NE(found, std::string::npos) << "missing or out of order: " << title;
    at = found;
  }
  EXPECT_NE(text.find("torch.manual_seed(123)"), std::string::npos);
  EXPECT_NE(text.find("journey.json), d_in = 3"), std::string::npos);
  // query_2 as the book prints it (ch. 3.4.1): 0.4306 1.4551
  EXPECT_NE(text.find("journey  0.4306  1.4551"), std::string::npos) << text;
}

TEST(RenderTable, PrecisionControlsTheDecimals) {
  Request r;
  r.sentence = "Your journey";
  r.projection = Projection::none;
  r.scale = false;
  const Trace t = explore(r, load_table(test::bundled("journey.json")));
  EXPECT_NE(render_walkthrough(t, with_precision(2)).find("0.43  0.15  0.89"), std::string::npos);
  EXPECT_NE(render_walkthrough(t, with_precision(6)).find("0.430000"), std::string::npos);
  EXPECT_NE(render_walkthrough(t, with_precision(4)).find("scaling     off"), std::string::npos);
}

}  // namespace
// Past the terminal's width a table prints in blocks of columns, each with the
// row labels again, and no line of any table is wider than the width (issue 13, item 5).
TEST(RenderTable, WideTablesPrintInBlocksOfColumns) {
  Request r;
  r.sentence = "The dog chased the ball, and it rolled away.";
  const Trace t = explore(r, load_table(test::bundled("default.json")));
  RenderOptions o = with_precision(4);
  o.width = 60;
  EXPECT_FALSE(tables_fit(t, o));
  const std::vector<Section> sections = render_sections(t, o);
  std::string weights;
  for (const Section& s : sections)
    if (s.stage == Stage::weights) weights = s.text;
  ASSERT_FALSE(weights.empty());
  EXPECT_NE(weights.find("  columns 1–6 of 11\n"), std::string::npos) << weights;
  EXPECT_NE(weights.find("  columns 7–11 of 11\n"), std::string::npos) << weights;
  // Every table line fits; "it" has its row in both blocks, 0.2611 ("ball") in the first.
  for (const Section& s : sections) {
    if (!s.stage) continue;
    for (const std::string& line : lines_of(s.text)) {
      if (line.rfind("  ", 0) == 0 && line.find("0.") != std::string::npos) {
        EXPECT_LE(display_width(line), 60u) << line;
      }
    }
  }
  const std::size_t first = weights.find("\n  it "), second = weights.find("\n  it ", first + 1);
  EXPECT_NE(second, std::string::npos) << weights;
  EXPECT_LT(weights.find("0.2611"), weights.find("columns 7–11")) << weights;
  // Without a width, one block as before.
  o.width = 0;
  EXPECT_TRUE(tables_fit(t, o));
  EXPECT_EQ(render_walkthrough(t, o).find("columns 1–"), std::string::npos);
  o.width = 200;
  EXPECT_TRUE(tables_fit(t, o));
}

}  // namespace attn
