// Issue 23 (a learner's review), the renderers' part, run as a user runs the
// binary: a model run names its X for what it is (the layer input, not a table's
// embeddings); --head H opens the HTML page on head H; the SVG names the
// projection it drew; a lesson page numbers each step's tables and marks the row
// it discusses; a table's dimension names label X; unknown, split and byte
// tokens are marked. Runs on the bundled demo model (data/models/demo).
#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "run_binary.hpp"

namespace {

namespace fs = std::filesystem;
using namespace attn::test;

// `attn-explain ARGS` in the source tree's top folder, as the README runs it.
Result run(const std::string& args) {
  const fs::path out = scratch() / "out", err = scratch() / "err";
  return run_shell(fmt::format("cd '{}/..' && '{}' {} > '{}' 2> '{}' < /dev/null", ATTN_DATA_DIR, ATTN_BINARY, args,
                               out.string(), err.string()),
                   out, err);
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

const char* kSentence = "\"The dog chased the ball, and it rolled away.\"";

// ---- item 3: a model's X is its layer input -------------------------------------------

TEST(ReviewModelInput, TablesNameTheLayerInput) {
  const Result r = run(fmt::format("--model demo --layer 2 --stages inputs --explain {}", kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Layer input  X = ln_1(residual stream)")) << r.out;
  EXPECT_FALSE(has(r.out, "Token embeddings")) << r.out;
  EXPECT_FALSE(has(r.out, "looked up in the embedding table")) << r.out;
  EXPECT_TRUE(has(r.out, "layer norm before attention")) << "the model's own --explain note";
}

TEST(ReviewModelInput, FocusNamesTheLayerInput) {
  const Result r = run(fmt::format("--model demo --layer 2 --head 1 --focus it {}", kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "the layer input of \"·it\"")) << r.out;
  EXPECT_TRUE(has(r.out, "the ln_1 output")) << r.out;
  EXPECT_FALSE(has(r.out, "the embedding of")) << r.out;
}

TEST(ReviewModelInput, HtmlNamesTheLayerInput) {
  const fs::path page = scratch() / "model-input.html";
  const Result r = run(fmt::format("--model demo --layer 2 --stages inputs --explain --html '{}' {}", page.string(), kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = slurp(page);
  EXPECT_TRUE(has(html, "Layer input  X = ln_1(residual stream)")) << "the section title";
  EXPECT_FALSE(has(html, "Token embeddings"));
  EXPECT_FALSE(has(html, "looked up in the embedding table"));
}

TEST(ReviewModelInput, TableRunsKeepTheirWording) {
  const Result r = run(fmt::format("--stages inputs --explain --focus it {}", kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Token embeddings  X  (11 × 6)")) << r.out;
  EXPECT_TRUE(has(r.out, "Each token is looked up in the embedding table")) << r.out;
  EXPECT_TRUE(has(r.out, "the embedding of \"it\"")) << r.out;
  EXPECT_FALSE(has(r.out, "Layer input")) << r.out;
}

// ---- item 6: --head H in the HTML ------------------------------------------------------

// The numbers of the page's stage sections, in order.
std::vector<std::string> stage_numbers(const std::string& html) {
  std::vector<std::string> out;
  const std::regex num("<h3 id=\"[^\"]*\"><span class=\"num\">([^<]*)</span>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), num); it != std::sregex_iterator(); ++it) out.push_back((*it)[1]);
  return out;
}

TEST(ReviewHeadHtml, OpensOnTheHeadAskedFor) {
  const fs::path page = scratch() / "head2.html";
  const Result r = run(fmt::format("--model demo --layer 4 --head 2 --html '{}' {}", page.string(), kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = slurp(page);
  const std::size_t pictures = html.find("class=\"pictures\"");
  ASSERT_NE(pictures, std::string::npos);
  EXPECT_EQ(html.find("Head 1: attention weights"), std::string::npos) << "head 1 is not the page's first picture";
  EXPECT_NE(html.find("Head 2: attention weights", pictures), std::string::npos);
  EXPECT_FALSE(has(html, "id=\"r1-head1\"")) << "nor are its stages drawn";
  const std::vector<std::string> numbers = stage_numbers(html);
  ASSERT_FALSE(numbers.empty());
  EXPECT_LE(numbers.size(), 14u) << "one head's stages, not all four heads' 36";
}

TEST(ReviewHeadHtml, EachHeadsStagesStartFromTheSameNumber) {
  const fs::path page = scratch() / "heads.html";
  const Result r = run(fmt::format("--heads 2 --projection rand --html '{}' {}", page.string(), kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::vector<std::string> numbers = stage_numbers(slurp(page));
  // X; then each head: weights, Q, K, V, scores, scaled, weights α, context; then the concatenation.
  ASSERT_EQ(numbers.size(), 1u + 2u * 8u + 1u);
  EXPECT_EQ(numbers[1], "2.");
  EXPECT_EQ(numbers[9], "2.") << "head 2 starts where head 1 did";
  EXPECT_EQ(numbers.back(), "10.");
}

// ---- item 8: the SVG's subtitle, the lesson page's numbers and row, dimension names ----

TEST(ReviewSvg, SubtitleNamesTheProjection) {
  const fs::path svg = scratch() / "rand.svg";
  const Result r = run(fmt::format("--projection rand --svg '{}' {}", svg.string(), kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string text = slurp(svg);
  EXPECT_TRUE(has(text, ">X: table default · W: torch.rand, seed 123</text>")) << text.substr(0, 1200);
  EXPECT_FALSE(has(text, "table default;")) << "the projection is named, not only the table";
}

TEST(ReviewLessonHtml, StepsNumberTheirTablesAndMarkTheRowDiscussed) {
  const fs::path page = scratch() / "lesson.html";
  const Result r = run(fmt::format("lesson fed-the-dog --html '{}'", page.string()));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = slurp(page);
  const std::vector<std::string> numbers = stage_numbers(html);
  ASSERT_GE(numbers.size(), 5u);
  EXPECT_EQ(std::count(numbers.begin(), numbers.end(), "1."), 0) << "each step's tables carry its number";
  std::vector<std::string> sorted = numbers;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "no two tables share a number";
  // The step on the scores follows "it": its row of the scores is marked.
  EXPECT_GE(count(html, "<tr class=\"sel\"><th scope=\"row\">it</th>"), 1u);
}

// A table of three named dimensions (docs/table-format.md "dimensions"), written for the test.
fs::path named_table() {
  const fs::path path = scratch() / "named.json";
  spit(path, R"({"name": "named", "dim": 3, "dimensions": ["thing", "animate", "pronoun"],
                 "vectors": {"the": [0, 0, 0], "dog": [1, 1, 0], "it": [0, 0, 1], "ran": [0, 0.5, 0]},
                 "weights": {"W_query": [[1, 0], [0, 1], [1, 1]], "W_key": [[1, 0], [0, 1], [1, 1]],
                             "W_value": [[1, 0], [0, 1], [1, 1]]}})");
  return path;
}

TEST(ReviewDimensionNames, LabelXAndTheWeightsRows) {
  const Result r = run(fmt::format("--embeddings '{}' --stages inputs,params \"the dog ran\"", named_table().string()));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("thing +animate +pronoun\n"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\n +animate +0\\.0000 +1\\.0000\n"))) << "W's rows: " << r.out;
  EXPECT_FALSE(std::regex_search(r.out, std::regex("d0 +d1 +d2"))) << "X's columns are named: " << r.out;
  const fs::path trace = scratch() / "named-trace.json";
  ASSERT_EQ(run(fmt::format("--embeddings '{}' --trace '{}' \"the dog ran\"", named_table().string(), trace.string())).code, 0);
  EXPECT_TRUE(has(slurp(trace), "\"dimension_names\": [\"thing\", \"animate\", \"pronoun\"]") ||
              has(slurp(trace), "\"dimension_names\":[\"thing\",\"animate\",\"pronoun\"]"))
      << slurp(trace).substr(0, 400);
  const Result back = run(fmt::format("render '{}' --stages inputs", trace.string()));
  ASSERT_EQ(back.code, 0) << back.err;
  EXPECT_TRUE(has(back.out, "thing")) << "a saved trace keeps the names";
}

TEST(ReviewDimensionNames, TheWrongCountIsBadData) {
  const fs::path path = scratch() / "short-names.json";
  spit(path, R"({"dim": 3, "dimensions": ["a", "b"], "vectors": {"x": [1, 2, 3]}})");
  const Result r = run(fmt::format("--embeddings '{}' x", path.string()));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "\"dimensions\" is an array of 2, expected an array of 3 names")) << r.err;
}

// ---- item 5: unknown, split and byte tokens are recorded and marked --------------------

TEST(ReviewTokenKinds, UnknownWordsAreMarkedInTablesTraceSvgAndHtml) {
  const fs::path trace = scratch() / "oov-trace.json", svg = scratch() / "oov.svg", page = scratch() / "oov.html";
  const Result r = run(fmt::format("--stages weights --trace '{}' --svg '{}' --html '{}' \"The zorblax chased it.\"",
                                   trace.string(), svg.string(), page.string()));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "zorblax*")) << r.out;
  EXPECT_TRUE(has(r.out, "marks       * not in the table: its vector is hashed from its spelling")) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\n  zorblax\\* +[0-9]"))) << "a row label: " << r.out;
  const std::string j = slurp(trace);
  EXPECT_TRUE(has(j, "\"token_kinds\"")) << j.substr(0, 300);
  EXPECT_TRUE(std::regex_search(j, std::regex(R"re("token_kinds": ?\[\s*"known",\s*"hashed",\s*"known",\s*"known",\s*"known"\s*\])re")))
      << j.substr(0, 400);
  EXPECT_TRUE(has(slurp(svg), ">zorblax*</text>"));
  EXPECT_TRUE(has(slurp(svg), "* not in the table"));
  EXPECT_TRUE(has(slurp(page), "zorblax*"));
  EXPECT_TRUE(has(slurp(page), "* not in the table"));
  const Result back = run(fmt::format("render '{}' --stages weights", trace.string()));
  ASSERT_EQ(back.code, 0) << back.err;
  EXPECT_TRUE(has(back.out, "zorblax*")) << "render reads the kinds back: " << back.out;
}

TEST(ReviewTokenKinds, ZeroVectorsAreRecordedAsZero) {
  const Result r = run("--json --oov zero \"The zorblax chased it.\"");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"re("token_kinds": ?\[\s*"known",\s*"zero",)re"))) << r.out.substr(0, 400);
}

TEST(ReviewTokenKinds, KnownWordsKeepTheirLabels) {
  const Result r = run(fmt::format("--stages weights {}", kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "  tokens      The | dog | chased | the | ball | , | and | it | rolled | away | .   (n = 11)\n"));
  EXPECT_FALSE(has(r.out, "marks")) << r.out;
  EXPECT_FALSE(has(r.out, "*")) << r.out;
  const Result j = run(fmt::format("--json {}", kSentence));
  EXPECT_FALSE(has(j.out, "\"hashed\"") || has(j.out, "\"piece\""));
}

TEST(ReviewTokenKinds, ModelRunsMarkWordsSplitIntoPiecesAndSaySo) {
  const fs::path trace = scratch() / "split-trace.json";
  const Result r = run(fmt::format("--model demo --layer 1 --head 1 --stages weights --trace '{}' \"The dog chased the zorblax.\"",
                                   trace.string()));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "attn-explain: note: not whole words in demo's vocabulary, split into pieces")) << r.err;
  EXPECT_TRUE(has(r.out, "⁺")) << r.out;
  EXPECT_TRUE(has(r.out, "marks       ⁺ a piece of a word the tokenizer split into several tokens")) << r.out;
  EXPECT_TRUE(has(slurp(trace), "\"piece\""));
  const Result known = run(fmt::format("--model demo --layer 1 --head 1 --stages weights {}", kSentence));
  ASSERT_EQ(known.code, 0) << known.err;
  EXPECT_FALSE(has(known.err, "split into pieces")) << "the demo's vocabulary has every word of this sentence";
  EXPECT_FALSE(has(known.out, "⁺"));
}

TEST(ReviewTokenKinds, ModelRunsMarkBytesThatAreNotACharacter) {
  const Result r = run("--model demo --layer 1 --head 1 --json \"The dog 🦮 ran.\"");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "\"bytes\"")) << r.out.substr(0, 600);
}

// ---- item 7: --layer all --------------------------------------------------------------

TEST(ReviewLayerAll, CaptionsNameThePatternAndTheHeadingIsClear) {
  const Result r = run(fmt::format("--model demo --layer all {}", kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(has(r.out, "the key most query tokens attend to most")) << r.out;
  EXPECT_TRUE(has(r.out, "What each head does: where most tokens put their largest weight")) << r.out;
  EXPECT_TRUE(has(r.out, "The shares leave out tokens 1 and 2")) << r.out;
  EXPECT_FALSE(std::regex_search(r.out, std::regex("other [0-9]+%"))) << "an 'other' head names its link: " << r.out;
}

TEST(ReviewLayerAll, HtmlHasReadablePicturesCaptionsAndWhereEachTokenLooks) {
  const fs::path page = scratch() / "all.html";
  const Result r = run(fmt::format("--model demo --layer all --html '{}' {}", page.string(), kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = slurp(page);
  EXPECT_TRUE(has(html, "<table class=\"looks\">")) << "the terminal's second table";
  EXPECT_TRUE(has(html, "Where each token looks"));
  EXPECT_TRUE(has(html, "The shares leave out tokens 1 and 2"));
  EXPECT_FALSE(std::regex_search(html, std::regex("<figcaption>head [0-9]+ · other [0-9]+%</figcaption>")));
  EXPECT_TRUE(has(html, "table.grid svg.heatmap { width: 15rem;")) << "pictures big enough to read";
}

}  // namespace
