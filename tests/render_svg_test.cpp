// The SVG heatmap (--svg): one cell per weight with the Trace's value, labels
// escaped, the same bytes for the same Trace. The XML itself is parsed by
// tests/svg/check_svg.py; here the renderer is read as text.
#include "attn/render/render_svg.hpp"

#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/explorer.hpp"
#include "test_util.hpp"
#include "attn/render/text_layout.hpp"

namespace attn {
namespace {

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

Trace run(const std::string& sentence, std::size_t heads = 1) {
  static const EmbeddingTable table = load_table(test::bundled("default.json"));
  Request r;
  r.sentence = sentence;
  r.heads = heads;
  if (heads > 1) r.projection = Projection::rand;  // the table carries one head's weights
  return explore(r, table);
}

TEST(RenderSvg, OneCellPerWeightOfEveryHeadWithItsValue) {
  const Trace t = run("How are you doing?", 2);
  const std::string svg = render_svg(t, SvgOptions{4, "/* css */"});
  EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(count(svg, "<rect class=\"cell\""), 2u * 5u * 5u);
  EXPECT_EQ(count(svg, "<g class=\"panel\""), 2u);
  for (std::size_t h = 0; h < 2; ++h) {
    for (std::size_t i = 0; i < 5; ++i) {
      for (std::size_t j = 0; j < 5; ++j) {
        const std::string cell = fmt::format("data-row=\"{}\" data-col=\"{}\" data-value=\"{}\"", i + 1, j + 1,
                                             format_number(t.heads[h].attn_weights(i, j), 4));
        EXPECT_NE(svg.find(cell), std::string::npos) << cell;
      }
    }
  }
  EXPECT_NE(svg.find("<style>\n/* css */</style>"), std::string::npos);
  EXPECT_EQ(render_svg(t, SvgOptions{4, "/* css */"}), svg);  // the same Trace, the same bytes
}

TEST(RenderSvg, EveryRowOutlinesItsLargestWeight) {
  const Trace t = run("How are you doing?");
  const std::string svg = render_svg(t, SvgOptions{4, ""});
  EXPECT_EQ(count(svg, "<rect class=\"largest\""), 5u);  // no ties in this run
  // "doing" puts 0.3139 on "you" (docs/tutorial.md), its largest weight.
  EXPECT_NE(svg.find("<title>doing → you: 0.3139</title>"), std::string::npos) << svg.substr(0, 2000);
}

TEST(RenderSvg, TextFromTheUserIsEscaped) {
  EXPECT_EQ(xml_text("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  EXPECT_EQ(xml_text("x\x1b[31m\n"), "x\\x1B[31m\\n");
  const Trace t = run("<script> & \"it\"");
  const std::string svg = render_svg(t, SvgOptions{4, ""});
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;"), std::string::npos);
}

TEST(RenderSvg, ValuesAreLeftOutWhereTheyCannotFit) {
  std::string sentence;
  for (int k = 0; k < 100; ++k) {
    sentence += "w";
    sentence += std::to_string(k);
    sentence += " ";
  }
  const Trace t = run(sentence);
  const std::string svg = render_svg(t, SvgOptions{4, ""});
  EXPECT_EQ(count(svg, "<rect class=\"cell\""), 100u * 100u);
  EXPECT_EQ(count(svg, "<text class=\"value\""), 0u);  // 6 px cells hold no number
  EXPECT_EQ(count(svg, "<title>"), 0u);  // nor a tooltip each (the picture's own is <title id="svg-title">)
  const std::string small = render_svg(run("How are you doing?"), SvgOptions{4, ""});
  EXPECT_EQ(count(small, "<text class=\"value\""), 25u);
}

}  // namespace
}  // namespace attn
