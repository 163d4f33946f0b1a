// --compare scale|softmax: the runs (compare.hpp) and their rendering
// (render_compare.hpp). The book's numbers come from tests/golden/ch03-golden.json
// (Raschka, "Build a Large Language Model (From Scratch)", ch. 3).
#include "attn/compare.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/render/render_compare.hpp"
#include "attn/render/render_table.hpp"
#include "tokenizer.hpp"
#include "attn/util/unicode.hpp"
#include "test_util.hpp"

namespace attn {
namespace {

constexpr double kPrinted = 0.5e-4 + 1e-6;  // the book prints four decimals
constexpr const char* kJourney = "Your journey starts with one step";

const nlohmann::json& golden() {
  static const nlohmann::json j = test::read_json(test::test_data("golden/ch03-golden.json"));
  return j;
}

const EmbeddingTable& table(const std::string& name) {
  static std::map<std::string, EmbeddingTable> tables;
  auto it = tables.find(name);
  if (it == tables.end()) it = tables.emplace(name, load_table(test::bundled(name))).first;
  return it->second;
}

const EmbeddingTable& overflow_table() { return table(kOverflowTable); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string f; in >> f;) fields.push_back(f);
  return fields;
}

// Whether some line of `text` starts with `label` and, somewhere after it,
// shows `numbers` one after the other (as a row of a printed table).
bool has_row(const std::string& text, const std::string& label, const std::vector<std::string>& numbers) {
  for (const auto& line : lines_of(text)) {
    const auto f = fields_of(line);
    if (f.empty() || f[0] != label) continue;
    for (std::size_t start = 1; start + numbers.size() <= f.size(); ++start) {
      if (std::equal(numbers.begin(), numbers.end(), f.begin() + static_cast<std::ptrdiff_t>(start))) return true;
    }
  }
  return false;
}

// The first line of `text` that starts with `prefix` ("" if none).
std::string line_starting(const std::string& text, const std::string& prefix) {
  for (const auto& line : lines_of(text))
    if (line.rfind(prefix, 0) == 0) return line;
  return "";
}

std::vector<std::string> printed(const nlohmann::json& row) {
  std::vector<std::string> out;
  for (const auto& v : row) out.push_back(format_number(v.get<float>(), 4));
  return out;
}

// Independent of the renderer: a row's entropy in nats and its largest weight.
double entropy(const Matrix& w, std::size_t i) {
  double h = 0.0;
  for (std::size_t j = 0; j < w.cols; ++j)
    if (w(i, j) > 0.0f) h -= w(i, j) * std::log(static_cast<double>(w(i, j)));
  return h;
}

double largest(const Matrix& w, std::size_t i) {
  double m = w(i, 0);
  for (std::size_t j = 1; j < w.cols; ++j) m = std::max(m, static_cast<double>(w(i, j)));
  return m;
}

double mean_entropy(const Trace& t) {
  double sum = 0.0;
  for (std::size_t i = 0; i < t.tokens.size(); ++i) sum += entropy(t.heads.at(0).attn_weights, i);
  return sum / static_cast<double>(t.tokens.size());
}

double mean_largest(const Trace& t) {
  double sum = 0.0;
  for (std::size_t i = 0; i < t.tokens.size(); ++i) sum += largest(t.heads.at(0).attn_weights, i);
  return sum / static_cast<double>(t.tokens.size());
}

Request journey_request(const std::string& projection, bool scale, std::optional<std::size_t> d_out) {
  Request r;
  r.sentence = kJourney;
  r.projection = value_named(kProjectionNames, projection);  // "auto": nothing
  r.scale = scale;
  r.seed = 123;
  r.d_out = d_out;
  return r;
}

Request how_are_you() {
  Request r;
  r.sentence = "How are you doing?";
  return r;
}

// ------------------------------------------------------------------ scale

TEST(CompareScale, RunsDifferOnlyInWhatIsCompared) {
  Request r = how_are_you();
  r.scale = false;  // the learner asked for --no-scale: "scaled" must still be scaled
  r.causal = true;
  r.seed = 7;
  const ScaleComparison c = compare_scale(r, table("default.json"));

  EXPECT_TRUE(c.scaled.settings.scale);
  EXPECT_FALSE(c.unscaled.settings.scale);
  EXPECT_TRUE(c.scaled_large.settings.scale);
  EXPECT_FALSE(c.unscaled_large.settings.scale);

  // The learner's own runs: the table's weights, d_k = 6.
  for (const Trace* t : {&c.scaled, &c.unscaled}) {
    EXPECT_EQ(t->settings.projection, Projection::table);
    EXPECT_EQ(t->settings.head_dim, 6u);
    EXPECT_TRUE(t->settings.causal);
    EXPECT_EQ(t->tokens, c.scaled.tokens);
  }
  EXPECT_FLOAT_EQ(c.scaled.heads.at(0).scale_divisor, std::sqrt(6.0f));
  EXPECT_FLOAT_EQ(c.unscaled.heads.at(0).scale_divisor, 1.0f);
  // Same weights, different scaling: the raw scores agree, the weights do not.
  EXPECT_EQ(c.scaled.heads.at(0).attn_scores, c.unscaled.heads.at(0).attn_scores);
  EXPECT_NE(c.scaled.heads.at(0).attn_weights, c.unscaled.heads.at(0).attn_weights);

  // The wide runs: torch.rand weights of width 64 after the same seed, one head.
  for (const Trace* t : {&c.scaled_large, &c.unscaled_large}) {
    EXPECT_EQ(t->settings.projection, Projection::rand);
    EXPECT_EQ(t->settings.d_out, kLargeDk);
    EXPECT_EQ(t->settings.head_dim, kLargeDk);
    EXPECT_EQ(t->settings.heads, 1u);
    EXPECT_EQ(t->settings.seed, 7u);
    EXPECT_TRUE(t->settings.causal);
    EXPECT_EQ(t->tokens, c.scaled.tokens);
    ASSERT_EQ(t->heads.size(), 1u);
    EXPECT_EQ(t->heads[0].keys.cols, kLargeDk);
  }
  EXPECT_FLOAT_EQ(c.scaled_large.heads[0].scale_divisor, 8.0f);
  EXPECT_FLOAT_EQ(c.unscaled_large.heads[0].scale_divisor, 1.0f);
  EXPECT_EQ(*c.scaled_large.heads[0].W_query, *c.unscaled_large.heads[0].W_query);
}

TEST(CompareScale, WideRunsAreSingleHeadEvenWhenTheLearnerHasSeveral) {
  Request r = how_are_you();
  r.projection = Projection::linear;
  r.qkv_bias = true;
  r.heads = 3;
  r.d_out = 6;
  r.multihead = Multihead::split;
  const ScaleComparison c = compare_scale(r, table("default.json"));
  EXPECT_EQ(c.scaled.heads.size(), 3u);
  EXPECT_EQ(c.scaled.settings.head_dim, 2u);
  EXPECT_EQ(c.scaled_large.heads.size(), 1u);
  EXPECT_EQ(c.scaled_large.settings.head_dim, kLargeDk);
  EXPECT_FALSE(c.scaled_large.settings.qkv_bias);
}

// Vaswani et al. (2017), section 3.2.1: for large d_k the unscaled dot products
// grow large and push the softmax into regions of tiny gradients.
TEST(CompareScale, UnscaledWeightsAtLargeDkAreMorePeaked) {
  for (const char* sentence : {"How are you doing?", "The dog chased the ball, and it rolled away.",
                               "He fed the dog because it was hungry."}) {
    Request r;
    r.sentence = sentence;
    const ScaleComparison c = compare_scale(r, table("default.json"));
    EXPECT_LT(mean_entropy(c.unscaled_large), mean_entropy(c.scaled_large)) << sentence;
    EXPECT_GT(mean_largest(c.unscaled_large), mean_largest(c.scaled_large)) << sentence;
  }
}

TEST(CompareScale, TheBooksScaledWeightsEvenUnderNoScale) {
  const auto& expected = golden()["trainable_weights_seed_123"]["attn_weights_2"];
  for (bool learner_scale : {true, false}) {
    const ScaleComparison c = compare_scale(journey_request("rand", learner_scale, 2), table("journey.json"));
    const Matrix& w = c.scaled.heads.at(0).attn_weights;
    for (std::size_t j = 0; j < 6; ++j) EXPECT_NEAR(w(1, j), expected[j].get<double>(), kPrinted);
    const std::string text = render_scale_comparison(c, {});
    EXPECT_TRUE(has_row(text, "journey", printed(expected))) << text;
  }
}

TEST(CompareScale, PrintsEntropyInNatsAndTheLargestWeight) {
  // Q = K = V = X for three copies of one word: every score equal, every row uniform.
  Request r;
  r.sentence = "the the the";
  r.projection = Projection::none;
  const std::string text = render_scale_comparison(compare_scale(r, table("default.json")), {});
  // ln 3 = 1.0986 nats (1.5850 would be bits); the largest weight 1/3.
  EXPECT_TRUE(has_row(text, "the", {"1.0986", "1.0986", "0.3333", "0.3333"})) << text;
  EXPECT_NE(text.find("nats"), std::string::npos);
}

// The teaching paragraphs are data (explain.json's "paragraphs"): the comparison
// prints the paragraph it is given, its {name} marks filled, and refuses to go without it.
TEST(CompareScale, ItsTeachingParagraphsComeFromTheExplanations) {
  const ScaleComparison c = compare_scale(journey_request("rand", true, 2), table("journey.json"));
  Explanations prose;
  prose.source = "test.json";
  prose.paragraphs["compare_scale_why"] = "Spread grows as {small} here and {large} there.";
  prose.paragraphs["compare_scale_rand"] = "A note on torch.rand.";
  CompareOptions options;
  options.prose = &prose;
  const std::string text = render_scale_comparison(c, options);
  EXPECT_NE(text.find("  Spread grows as"), std::string::npos) << text;
  EXPECT_EQ(text.find("{small}"), std::string::npos);
  EXPECT_NE(text.find("A note on torch.rand."), std::string::npos);
  EXPECT_EQ(text.find("the variances of the terms add up"), std::string::npos);
  prose.paragraphs.erase("compare_scale_rand");
  EXPECT_THROW(render_scale_comparison(c, options), DataError);
  // Without paragraphs of its own it reads the bundled explain.json.
  EXPECT_NE(render_scale_comparison(c, {}).find("the variances of the terms add up"), std::string::npos);
}

TEST(CompareScale, SummaryOfTheFourRunsQuotesTheirMeans) {
  const ScaleComparison c = compare_scale(how_are_you(), table("default.json"));
  const std::string text = render_scale_comparison(c, {});
  const auto row = [](const Trace& t) {
    return std::vector<std::string>{format_number(static_cast<float>(mean_entropy(t)), 4),
                                    format_number(static_cast<float>(mean_largest(t)), 4)};
  };
  EXPECT_TRUE(has_row(text, "d_k", row(c.scaled))) << text;
  // The four-run table's rows begin "d_k = 64, unscaled  ω  <spread>  <mean H>  <mean max α>".
  bool found = false;
  for (const auto& line : lines_of(text)) {
    if (line.find("d_k = 64, unscaled") == std::string::npos) continue;
    const auto f = fields_of(line);
    ASSERT_GE(f.size(), 2u);
    found = f[f.size() - 2] == row(c.unscaled_large)[0] && f.back() == row(c.unscaled_large)[1];
  }
  EXPECT_TRUE(found) << text;
  // The per-row tables show the wide runs' rows too.
  const Matrix& wide = c.unscaled_large.heads[0].attn_weights;
  EXPECT_TRUE(has_row(text, "doing",
                      {format_number(static_cast<float>(entropy(c.scaled_large.heads[0].attn_weights, 3)), 4),
                       format_number(static_cast<float>(entropy(wide, 3)), 4)}))
      << text;
  EXPECT_NE(text.find("√d_k"), std::string::npos);
}

TEST(CompareScale, SideBySideColumnsLineUpForAnyScript) {
  Request r;
  r.sentence = "猫 are 🐕 café";
  const std::string text = render_scale_comparison(compare_scale(r, table("default.json")), {});
  std::optional<std::size_t> column;
  std::size_t rows = 0;
  for (const auto& line : lines_of(text)) {
    const std::size_t bar = line.find("│");
    if (bar == std::string::npos) continue;
    const std::size_t at = display_width(line.substr(0, bar));
    if (!column) column = at;
    EXPECT_EQ(at, *column) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 6u) << text;  // caption, header, four tokens
}

TEST(CompareScale, LongSentencesStackTheMatrices) {
  Request r;
  r.sentence = "The dog chased the ball, and it rolled away.";  // 11 tokens
  const std::string text = render_scale_comparison(compare_scale(r, table("default.json")), {});
  EXPECT_EQ(text.find("│"), std::string::npos);
  EXPECT_NE(text.find("scaled: α from ω / √6"), std::string::npos);
  EXPECT_NE(text.find("unscaled: α from ω"), std::string::npos);
}

// ---------------------------------------------------------------- softmax

TEST(CompareSoftmax, RunsDifferOnlyInTheSoftmax) {
  Request r = how_are_you();
  r.causal = true;
  r.scale = false;
  const SoftmaxComparison c = compare_softmax(r, table("default.json"), overflow_table());
  EXPECT_EQ(c.sum.settings.softmax, Softmax::sum);
  EXPECT_EQ(c.naive.settings.softmax, Softmax::naive);
  EXPECT_EQ(c.stable.settings.softmax, Softmax::stable);
  for (const Trace* t : {&c.sum, &c.naive, &c.stable}) {
    EXPECT_EQ(t->sentence, r.sentence);
    EXPECT_TRUE(t->settings.causal);
    EXPECT_FALSE(t->settings.scale);
    EXPECT_EQ(t->settings.projection, Projection::table);
  }
  EXPECT_EQ(c.overflow_sum.settings.softmax, Softmax::sum);
  EXPECT_EQ(c.overflow_naive.settings.softmax, Softmax::naive);
  EXPECT_EQ(c.overflow_stable.settings.softmax, Softmax::stable);
  for (const Trace* t : {&c.overflow_sum, &c.overflow_naive, &c.overflow_stable}) {
    EXPECT_EQ(t->sentence, kOverflowSentence);
    EXPECT_EQ(t->settings.projection, Projection::none);
    EXPECT_FALSE(t->settings.scale);
    EXPECT_FALSE(t->settings.causal);
    EXPECT_EQ(t->settings.table_name, "overflow");
    EXPECT_TRUE(t->oov_tokens.empty());
  }
}

TEST(CompareSoftmax, TheBooksSimplifiedAttentionRow) {
  const auto& g = golden()["simplified_no_weights"];
  const SoftmaxComparison c =
      compare_softmax(journey_request("none", false, std::nullopt), table("journey.json"), overflow_table());
  for (std::size_t j = 0; j < 6; ++j) {
    EXPECT_NEAR(c.sum.heads[0].attn_weights(1, j), g["attn_weights_2_sum_normalized"][j].get<double>(), kPrinted);
    EXPECT_NEAR(c.naive.heads[0].attn_weights(1, j), g["attn_weights_2_softmax_naive"][j].get<double>(), kPrinted);
    EXPECT_NEAR(c.stable.heads[0].attn_weights(1, j), g["attn_weights_2_softmax_naive"][j].get<double>(), kPrinted);
  }
  const std::string text = render_softmax_comparison(c, {});
  EXPECT_TRUE(has_row(text, "journey", printed(g["attn_weights_2_softmax_naive"]))) << text;
  EXPECT_TRUE(has_row(text, "journey", printed(g["attn_weights_2_sum_normalized"]))) << text;
  // Row sums are shown, and for this run every normalisation sums to 1.
  EXPECT_TRUE(has_row(text, "journey", {"0.1455", "0.2278", "0.2249", "0.1285", "0.1077", "0.1656", "1.0000"})) << text;
}

TEST(CompareSoftmax, OverflowTableIsDocumentedAndSmall) {
  const EmbeddingTable& t = overflow_table();
  EXPECT_EQ(t.name, "overflow");
  EXPECT_NE(t.description.find(kOverflowSentence), std::string::npos);
  EXPECT_TRUE(t.dim == 2 || t.dim == 3);
  EXPECT_FALSE(t.weights.has_value());
  for (const auto& token : tokenize(kOverflowSentence)) EXPECT_NE(t.find(token.text), nullptr) << token.text;
}

TEST(CompareSoftmax, NaiveOverflowsWhereStableDoesNot) {
  const SoftmaxComparison c = compare_softmax(how_are_you(), table("default.json"), overflow_table());
  const float limit = std::log(std::numeric_limits<float>::max());  // 88.72
  const HeadTrace& naive = c.overflow_naive.heads.at(0);
  const HeadTrace& stable = c.overflow_stable.heads.at(0);

  bool above_limit = false;
  for (float s : naive.attn_scores.data) {
    EXPECT_TRUE(std::isfinite(s));
    above_limit = above_limit || s > limit;
  }
  EXPECT_TRUE(above_limit) << "the example must overflow exp";

  bool non_finite = false;
  for (float w : naive.attn_weights.data) non_finite = non_finite || !std::isfinite(w);
  EXPECT_TRUE(non_finite);
  EXPECT_FALSE(c.overflow_naive.warnings.empty());

  for (float w : stable.attn_weights.data) EXPECT_TRUE(std::isfinite(w));
  for (std::size_t i = 0; i < stable.attn_weights.rows; ++i) {
    double sum = 0.0;
    for (std::size_t j = 0; j < stable.attn_weights.cols; ++j) sum += stable.attn_weights(i, j);
    EXPECT_NEAR(sum, 1.0, 1e-5) << "row " << i;
  }
  EXPECT_TRUE(c.overflow_stable.warnings.empty());

  const std::string text = render_softmax_comparison(c, {});
  EXPECT_TRUE(text.find("nan") != std::string::npos || text.find("inf") != std::string::npos);
  EXPECT_NE(text.find(kOverflowSentence), std::string::npos);
  EXPECT_NE(text.find("exp(x − m) / Σ exp(x − m)"), std::string::npos);
  // The stable result is printed: row 1's weights as the engine made them.
  std::vector<std::string> row;
  for (std::size_t j = 0; j < stable.attn_weights.cols; ++j) row.push_back(format_number(stable.attn_weights(0, j), 4));
  EXPECT_TRUE(has_row(text, c.overflow_stable.tokens[0], row)) << text;
  // And the naive row with its nan next to it.
  std::vector<std::string> naive_row;
  for (std::size_t j = 0; j < naive.attn_weights.cols; ++j) naive_row.push_back(format_number(naive.attn_weights(0, j), 4));
  ASSERT_EQ(naive_row[0], "nan");
  EXPECT_TRUE(has_row(text, c.overflow_naive.tokens[0], naive_row)) << text;
}

TEST(CompareSoftmax, SaysWhenSumNormalisationGivesNegativeWeights) {
  // nn.Linear weights are signed, so some scores are negative.
  Request r = how_are_you();
  r.projection = Projection::linear;
  const SoftmaxComparison c = compare_softmax(r, table("default.json"), overflow_table());
  bool negative = false;
  for (float w : c.sum.heads[0].attn_weights.data) negative = negative || w < 0.0f;
  ASSERT_TRUE(negative) << "this example needs a signed score";
  const std::string learner = render_softmax_comparison(c, {});
  const std::string part1 = learner.substr(0, learner.find(kOverflowSentence));
  EXPECT_NE(line_starting(part1, "  sum     every").find("negative \"weights\""), std::string::npos) << part1;
  EXPECT_EQ(line_starting(part1, "  stable  every"), "  stable  every row sums to 1; every weight in [0, 1]") << part1;

  // With positive scores the sum normalisation gives weights in [0, 1].
  const std::string book =
      render_softmax_comparison(compare_softmax(journey_request("none", false, std::nullopt), table("journey.json"),
                                                overflow_table()),
                                {});
  const std::string book1 = book.substr(0, book.find(kOverflowSentence));
  EXPECT_EQ(line_starting(book1, "  sum     every"), "  sum     every row sums to 1; every weight in [0, 1]") << book1;
}

// ------------------------------------------------------------------ color

TEST(CompareRender, ColorOnlyWhenAsked) {
  const EmbeddingTable& t = table("default.json");
  const ScaleComparison scale = compare_scale(how_are_you(), t);
  const SoftmaxComparison softmax = compare_softmax(how_are_you(), t, overflow_table());
  CompareOptions plain, color;
  color.color = true;
  EXPECT_EQ(render_scale_comparison(scale, plain).find('\x1b'), std::string::npos);
  EXPECT_EQ(render_softmax_comparison(softmax, plain).find('\x1b'), std::string::npos);
  EXPECT_NE(render_scale_comparison(scale, color).find("\x1b[48;5;"), std::string::npos);  // shaded cells
  EXPECT_NE(render_softmax_comparison(softmax, color).find("\x1b[1m"), std::string::npos);  // bold
}

TEST(CompareRender, PrecisionIsHonoured) {
  const ScaleComparison c = compare_scale(journey_request("rand", true, 2), table("journey.json"));
  CompareOptions o;
  o.precision = 2;
  const std::string text = render_scale_comparison(c, o);
  EXPECT_TRUE(has_row(text, "journey", {"0.15", "0.23", "0.22", "0.13", "0.09", "0.18"})) << text;
  EXPECT_EQ(text.find("0.2264"), std::string::npos);
}

}  // namespace
}  // namespace attn
