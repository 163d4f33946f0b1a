// The focus renderer (--focus): one token's arithmetic, number by number. The
// expected numbers are the book's (tests/golden/ch03-golden.json), not ours.
#include "attn/render/render_focus.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "attn/render/render_table.hpp"
#include "attn/util/unicode.hpp"
#include "test_util.hpp"

namespace attn {
namespace {

const char* const kJourney = "Your journey starts with one step";

const nlohmann::json& golden() {
  static const nlohmann::json j = test::read_json(test::test_data("golden/ch03-golden.json"));
  return j;
}

const EmbeddingTable& journey_table() {
  static const EmbeddingTable table = load_table(test::bundled("journey.json"));
  return table;
}

Request journey_request(const std::string& projection, bool scale) {
  Request r;
  r.sentence = kJourney;
  r.projection = value_named(kProjectionNames, projection);  // "auto": nothing
  r.scale = scale;
  r.seed = 123;
  return r;
}

// Section 3.3: Q = K = V = X, no scaling.
Trace simplified() { return explore(journey_request("none", false), journey_table()); }

// Section 3.4: torch.manual_seed(123), W_* = torch.rand(3, 2), scaled by √2.
Trace trainable() {
  Request r = journey_request("rand", true);
  r.d_out = 2;
  return explore(r, journey_table());
}

std::string focus(const Trace& t, const std::string& spec, int precision = 4, bool color = false) {
  return render_focus(t, find_focus(t, spec), FocusOptions{precision, color, std::nullopt});
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The lines of the section whose numbered title contains `title`, up to the next blank line.
std::vector<std::string> section(const std::string& text, const std::string& title) {
  const auto lines = lines_of(text);
  std::vector<std::string> out;
  bool inside = false;
  for (const auto& line : lines) {
    if (inside && line.empty()) break;
    if (inside) out.push_back(line);
    if (!inside && contains(line, title) && line.find(". ") != std::string::npos) inside = true;
  }
  return out;
}

// The only line of `lines` that starts with `prefix` (after the two-space indent).
std::string line_starting(const std::vector<std::string>& lines, const std::string& prefix) {
  std::string found;
  int count = 0;
  for (const auto& line : lines) {
    if (line.rfind("  " + prefix, 0) == 0) {
      found = line;
      ++count;
    }
  }
  EXPECT_EQ(count, 1) << "lines starting with \"" << prefix << "\"";
  return found;
}

bool ends_with(const std::string& text, const std::string& end) {
  return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

std::string printed(double value) { return format_number(static_cast<float>(value), 4); }

std::string bracketed(const nlohmann::json& values) {
  std::string s = "[";
  for (std::size_t k = 0; k < values.size(); ++k) s += (k ? ", " : "") + printed(values[k].get<double>());
  return s + "]";
}

// The bar chart's value for each token, in order.
std::vector<std::string> bar_values(const std::string& text) {
  std::vector<std::string> values;
  for (const auto& line : section(text, "looks")) values.push_back(line.substr(line.rfind(' ') + 1));
  return values;
}

std::vector<std::string> golden_strings(const nlohmann::json& values) {
  std::vector<std::string> out;
  for (const auto& v : values) out.push_back(printed(v.get<double>()));
  return out;
}

TEST(RenderFocus, SimplifiedAttentionSpellsTheBooksDotProducts) {
  const auto& g = golden()["simplified_no_weights"];
  const std::string text = focus(simplified(), "journey");
  EXPECT_EQ(lines_of(text).front(), "Focus: \"journey\", token 2 of 6 (x(2) in the book's notation)");
  EXPECT_TRUE(contains(text, "q = x(2) = " + bracketed(golden()["inputs"][1]))) << text;
  // x(2)·x(1), term by term, as the book computes attn_scores_2[0].
  EXPECT_TRUE(contains(text, "ω(2,1) = q(\"journey\")·k(\"Your\")    = 0.55×0.43 + 0.87×0.15 + 0.66×0.89 = 0.9544"))
      << text;
  const auto scores = section(text, "Scores");
  ASSERT_EQ(scores.size(), 6u) << text;
  for (std::size_t j = 0; j < 6; ++j) {
    const std::string line = line_starting(scores, "ω(2," + std::to_string(j + 1) + ")");
    const std::string token = golden()["tokens"][j].get<std::string>();
    EXPECT_TRUE(contains(line, "k(\"" + token + "\")")) << line;
    EXPECT_TRUE(ends_with(line, " = " + printed(g["attn_scores_2"][j].get<double>()))) << line;
  }
  EXPECT_FALSE(contains(text, "Scaling")) << "no scaling was asked for";
  EXPECT_EQ(bar_values(text), golden_strings(g["attn_weights"][1]));
  EXPECT_TRUE(contains(text, "z(2) = " + bracketed(g["context_vec_2"]))) << text;
  const auto context = section(text, "Context vector");
  for (std::size_t c = 0; c < 3; ++c) {
    EXPECT_TRUE(ends_with(line_starting(context, "z[" + std::to_string(c) + "]"),
                          " = " + printed(g["context_vec_2"][c].get<double>())));
  }
  // z[0] = Σ α(2,j) x(j)[0], with the book's weights and inputs.
  EXPECT_TRUE(contains(text, "z[0] = 0.1385×0.43 + 0.2379×0.55 + 0.2333×0.57 + 0.124×0.22 + 0.1082×0.77 + "
                             "0.1581×0.05 = 0.4419"))
      << text;
}

TEST(RenderFocus, StableSoftmaxShowsMaxExpsSumAndCheck) {
  const std::string text = focus(simplified(), "journey");
  const auto softmax = section(text, "Softmax");
  EXPECT_TRUE(contains(text, "largest value, 1.4950 (\"journey\")")) << text;
  EXPECT_TRUE(contains(line_starting(softmax, "Your     exp"), "exp(0.9544 − 1.4950)")) << text;
  EXPECT_TRUE(contains(line_starting(softmax, "journey  exp"), "= 1.0000")) << text;
  EXPECT_TRUE(contains(line_starting(softmax, "Check: "), "0.1385 + 0.2379 + 0.2333 + 0.1240 + 0.1082 + 0.1581 = 1.0000"))
      << text;
  EXPECT_TRUE(contains(text, "The weights sum to 1")) << text;
}

TEST(RenderFocus, TrainableWeightsSeed123MatchTheBook) {
  const auto& g = golden()["trainable_weights_seed_123"];
  const Trace t = trainable();
  const std::string text = focus(t, "journey");
  EXPECT_TRUE(contains(text, "q = " + bracketed(g["query_2"]))) << text;
  // q[0] is x(2) times the first column of W_query, spelled out.
  EXPECT_TRUE(contains(text, "q[0] = x(2)·W_query[:,0] = 0.55×")) << text;
  EXPECT_TRUE(ends_with(line_starting(section(text, "Query"), "q[1]"), " = 1.4551")) << text;
  // The book's scores, after "=" where the rounded products add up to them and
  // "≈" where they do not (issue 12, item 3).
  const auto scores = section(text, "Scores");
  for (std::size_t j = 0; j < 6; ++j) {
    const std::string line = line_starting(scores, "ω(2," + std::to_string(j + 1) + ")");
    const std::string value = printed(g["attn_scores_2"][j].get<double>());
    EXPECT_TRUE(ends_with(line, " = " + value) || ends_with(line, " ≈ " + value)) << line;
  }
  // 0.4306×0.3669 + 1.4551×0.7646 = 1.27055660, which rounds to 1.2706, not the book's 1.2705:
  EXPECT_TRUE(ends_with(line_starting(scores, "ω(2,1)"), " ≈ 1.2705")) << text;
  // 0.4306×0.4361 + 1.4551×1.1156 = 1.81109422, which rounds to 1.8111:
  EXPECT_TRUE(ends_with(line_starting(scores, "ω(2,3)"), " = 1.8111")) << text;
  EXPECT_TRUE(contains(text, "√d_k = √2 = 1.4142")) << text;
  // 1.8524 / 1.4142 = 1.309857…, which rounds to 1.3099; the engine's unrounded division gives 1.3098.
  EXPECT_TRUE(contains(line_starting(section(text, "Scaling"), "journey"), "1.8524 / 1.4142 ≈ 1.3098")) << text;
  EXPECT_EQ(bar_values(text), golden_strings(g["attn_weights_2"]));
  EXPECT_TRUE(contains(text, "z(2) = " + bracketed(g["context_vec_2"]))) << text;
  EXPECT_TRUE(contains(text, "\"journey\" attends most to \"journey\" (0.2264), then to \"starts\" (0.2199)")) << text;
}

TEST(RenderFocus, PrintsTheTracesNumbersRatherThanRecomputingThem) {
  Trace t = simplified();
  HeadTrace& h = t.heads.front();
  h.attn_scores(1, 0) = 7.25f;
  h.attn_weights(1, 3) = 0.5f;
  h.context_vec(1, 2) = 9.875f;
  const std::string text = focus(t, "journey");
  // The planted numbers are not what the printed terms give, so each is marked "≈".
  EXPECT_TRUE(ends_with(line_starting(section(text, "Scores"), "ω(2,1)"), " ≈ 7.2500")) << text;
  EXPECT_TRUE(ends_with(line_starting(section(text, "Softmax"), "with     0.5212 /"), " ≈ 0.5000")) << text;
  EXPECT_TRUE(ends_with(line_starting(section(text, "Context vector"), "z[2]"), " ≈ 9.8750")) << text;
}

TEST(RenderFocus, FindsTheTokenByTextThenCaseThenPosition) {
  Request r;
  r.sentence = "The dog saw the cat 3 1";
  const Trace t = explore(r, load_table(test::bundled("default.json")));
  EXPECT_EQ(find_focus(t, "the"), 3u);  // exact spelling first
  EXPECT_EQ(find_focus(t, "The"), 0u);
  EXPECT_EQ(find_focus(t, "THE"), 0u);  // then ignoring ASCII case, first occurrence
  EXPECT_EQ(find_focus(t, "DOG"), 1u);
  EXPECT_EQ(find_focus(t, "2"), 1u);    // a position counts from 1, as x(2)
  EXPECT_EQ(find_focus(t, "5"), 4u);
  EXPECT_EQ(find_focus(t, "1"), 6u);    // a token spelled "1" wins over position 1
  EXPECT_EQ(find_focus(t, "3"), 5u);
  EXPECT_EQ(find_focus(simplified(), "journey"), 1u);
  EXPECT_EQ(find_focus(simplified(), "Journey"), 1u);
  EXPECT_EQ(find_focus(simplified(), "6"), 5u);
}

TEST(RenderFocus, UnknownTokenIsAUsageErrorListingTheTokens) {
  Request r;
  r.sentence = "How are you doing?";
  const Trace t = explore(r, load_table(test::bundled("default.json")));
  try {
    find_focus(t, "cat");
    FAIL() << "no error for a missing token";
  } catch (const UsageError& e) {
    // The engine names the quantity; the CLI renders the key as its option (error.hpp).
    EXPECT_EQ(std::string(e.what()), "focus \"cat\": not a token of the sentence");
    EXPECT_EQ(e.key(), "focus");
    EXPECT_EQ(name_keys(e.message(), [](std::string_view key) { return "--" + std::string(key); }),
              "--focus \"cat\": not a token of the sentence");
    EXPECT_EQ(e.hint(), "tokens: 1 How, 2 are, 3 you, 4 doing, 5 ?");
    EXPECT_EQ(e.exit_code(), 2);
  }
  try {
    find_focus(t, "9");
    FAIL() << "no error for an index out of range";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "focus 9: the sentence has 5 tokens");
    EXPECT_EQ(e.key(), "focus");
    EXPECT_EQ(e.hint(), "tokens: 1 How, 2 are, 3 you, 4 doing, 5 ?");
    EXPECT_EQ(e.exit_code(), 2);
  }
  EXPECT_THROW(find_focus(t, "0"), UsageError);
  EXPECT_THROW(find_focus(t, "99999999999999999999999"), UsageError);
  EXPECT_THROW(find_focus(t, ""), UsageError);
  EXPECT_THROW(find_focus(t, "-1"), UsageError);
}

TEST(RenderFocus, LongTokenListsInTheHintAreShortened) {
  Request r;
  r.sentence = "the quick brown fox jumps over the lazy dog while the small cat sleeps on the warm windowsill "
               "in the afternoon sun and dreams";
  const Trace t = explore(r, load_table(test::bundled("default.json")));
  try {
    find_focus(t, "zebra");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_TRUE(contains(e.hint(), "1 the, 2 quick")) << e.hint();
    EXPECT_TRUE(contains(e.hint(), "…")) << e.hint();
    EXPECT_TRUE(ends_with(e.hint(), ", …, 24 dreams")) << e.hint();
    EXPECT_LE(display_width(e.hint()), 100u) << e.hint();
  }
}

TEST(RenderFocus, CausalMaskHidesTheFuture) {
  Request r = journey_request("none", false);
  r.causal = true;
  const Trace t = explore(r, journey_table());
  const std::string text = focus(t, "journey");
  const auto mask = section(text, "Causal mask");
  ASSERT_EQ(mask.size(), 6u) << text;
  EXPECT_TRUE(contains(line_starting(mask, "Your"), "0.9544")) << text;
  EXPECT_TRUE(contains(line_starting(mask, "Your"), "kept")) << text;
  EXPECT_TRUE(contains(line_starting(mask, "starts"), "-inf")) << text;
  EXPECT_TRUE(contains(line_starting(mask, "starts"), "future: masked")) << text;
  EXPECT_TRUE(contains(line_starting(mask, "step"), "-inf")) << text;
  // Only Your and journey remain: exp(0.9544 − 1.4950) / (that + 1).
  const auto bars = bar_values(text);
  ASSERT_EQ(bars.size(), 6u);
  EXPECT_EQ(bars[0], "0.3680");
  EXPECT_EQ(bars[1], "0.6320");
  for (std::size_t j = 2; j < 6; ++j) EXPECT_EQ(bars[j], "0.0000") << j;
}

TEST(RenderFocus, CausalRenormZeroesThenDividesByTheNewSum) {
  Request r = journey_request("none", false);
  r.causal = true;
  r.causal_method = CausalMethod::renorm;
  const Trace t = explore(r, journey_table());
  const std::string text = focus(t, "journey");
  const auto renorm = section(text, "Causal mask");
  ASSERT_FALSE(renorm.empty()) << text;
  EXPECT_TRUE(contains(text, "starts   0.0000   in the future: zeroed")) << text;
  // The book's softmax row before masking: 0.1385 and 0.2379 are kept, summing to 0.3764.
  EXPECT_TRUE(contains(line_starting(renorm, "New row sum: "), "0.1385 + 0.2379 = 0.3764")) << text;
  EXPECT_TRUE(contains(line_starting(renorm, "Your     0.1385 /"), "0.1385 / 0.3764 = 0.3680")) << text;
}

TEST(RenderFocus, DropoutShowsTheBooksMaskAndTheScaleOfTwo) {
  Request r = journey_request("none", false);
  r.dropout = 0.5;
  r.dropout_seed = 123;
  const Trace t = explore(r, journey_table());
  const std::string text = focus(t, "journey");
  // The book's dropout on ones after torch.manual_seed(123): row 2 is 0 0 0 2 0 2.
  std::string mask = "mask  ";
  const auto& row = golden()["dropout_on_ones_seed_123"]["result"][1];
  for (std::size_t j = 0; j < row.size(); ++j) {
    if (j > 0) mask += ' ';
    mask += row[j].get<int>() != 0 ? '1' : '0';
  }
  const auto dropout = section(text, "Dropout");
  EXPECT_TRUE(contains(line_starting(dropout, "mask  "), mask)) << text;
  EXPECT_TRUE(contains(text, "1/(1 − p) = 1/0.5 = 2")) << text;
  // "with" survives: the book's weight 0.1240 doubled; "Your" is dropped.
  EXPECT_TRUE(contains(line_starting(dropout, "with"), "kept     0.1240 × 2 = 0.2480")) << text;
  EXPECT_TRUE(contains(line_starting(dropout, "Your"), "dropped  0.1385 × 0 = 0.0000")) << text;
  EXPECT_TRUE(contains(text, "α after dropout")) << text;
}

TEST(RenderFocus, SumNormalisationMatchesTheBooksFirstWeights) {
  Request r = journey_request("none", false);
  r.softmax = Softmax::sum;
  const std::string text = focus(explore(r, journey_table()), "journey");
  EXPECT_EQ(bar_values(text), golden_strings(golden()["simplified_no_weights"]["attn_weights_2_sum_normalized"]));
  EXPECT_TRUE(contains(text, "0.9544 + 1.4950 + 1.4754 + 0.8434 + 0.7070 + 1.0865 = 6.5617")) << text;
  EXPECT_FALSE(contains(text, "not a probability distribution")) << "positive scores make a distribution";
}

TEST(RenderFocus, SumNormalisationOfSignedScoresIsNotADistribution) {
  Request r = journey_request("linear", true);
  r.softmax = Softmax::sum;
  const Trace t = explore(r, journey_table());
  const HeadTrace& h = t.heads.front();
  bool negative = false;
  for (std::size_t j = 0; j < 6; ++j) negative = negative || h.scaled_scores(1, j) < 0;
  ASSERT_TRUE(negative) << "the test needs a row with a negative score";
  EXPECT_TRUE(contains(focus(t, "journey"), "not a probability distribution"));
}

TEST(RenderFocus, NaiveSoftmaxMatchesTheBookAndReportsOverflow) {
  Request r = journey_request("none", false);
  r.softmax = Softmax::naive;
  const std::string text = focus(explore(r, journey_table()), "journey");
  EXPECT_EQ(bar_values(text), golden_strings(golden()["simplified_no_weights"]["attn_weights_2_softmax_naive"]));
  EXPECT_TRUE(contains(text, "exp(0.9544) = 2.5971")) << text;
  EXPECT_FALSE(contains(text, "Overflow")) << text;

  EmbeddingTable big;
  big.dim = 3;
  big.add("huge", {10.0f, 10.0f, 10.0f});
  big.add("tiny", {0.1f, 0.1f, 0.1f});
  Request o;
  o.sentence = "huge tiny";
  o.projection = Projection::none;
  o.scale = false;
  o.softmax = Softmax::naive;
  const std::string overflow = focus(explore(o, big), "huge");
  EXPECT_TRUE(contains(overflow, "exp(300.0000) = inf")) << overflow;
  EXPECT_TRUE(contains(overflow, "Overflow")) << overflow;
  EXPECT_TRUE(contains(overflow, "nan")) << overflow;
}

TEST(RenderFocus, NonFiniteValuesPrintAndNeverCrash) {
  Trace t = trainable();
  HeadTrace& h = t.heads.front();
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  h.queries(1, 0) = inf;
  h.attn_scores(1, 2) = -inf;
  h.scaled_scores(1, 2) = nan;
  for (std::size_t j = 0; j < 6; ++j) h.attn_weights(1, j) = nan;
  h.context_vec(1, 1) = nan;
  std::string text;
  ASSERT_NO_THROW(text = focus(t, "journey"));
  EXPECT_TRUE(contains(text, "q = [inf, 1.4551]")) << text;
  EXPECT_TRUE(ends_with(line_starting(section(text, "Scores"), "ω(2,3)"), " = -inf")) << text;
  EXPECT_TRUE(contains(text, "z(2) = [0.3061, nan]")) << text;
  EXPECT_TRUE(contains(text, "not numbers")) << text;
}

TEST(RenderFocus, SplitHeadsShowBothHeadsTheConcatenationAndTheOutput) {
  Request r = journey_request("linear", true);
  r.heads = 2;
  r.multihead = Multihead::split;
  r.d_out = 4;
  const Trace t = explore(r, journey_table());
  const std::string text = focus(t, "journey");
  EXPECT_TRUE(contains(text, "head 1 of 2")) << text;
  EXPECT_TRUE(contains(text, "head 2 of 2")) << text;
  EXPECT_LT(text.find("head 1 of 2"), text.find("head 2 of 2"));
  // Each head spells its own scores: two score sections, each ending in that head's ω(2,6).
  for (std::size_t head = 0; head < 2; ++head) {
    const std::string score = format_number(t.heads[head].attn_scores(1, 5), 4);
    const std::size_t banner = text.find(fmt::format("head {} of 2", head + 1));
    EXPECT_TRUE(contains(text.substr(banner), "= " + score)) << "head " << head + 1;
  }
  std::string concat = "[";
  for (std::size_t c = 0; c < 4; ++c) concat += (c == 0 ? "" : c == 2 ? " | " : ", ") + format_number((*t.concatenated)(1, c), 4);
  EXPECT_TRUE(contains(text, concat + "]")) << text;
  std::string output = "output(2) = [";
  for (std::size_t c = 0; c < 4; ++c) output += (c ? ", " : "") + format_number(t.output(1, c), 4);
  EXPECT_TRUE(contains(text, output + "]")) << text;
  EXPECT_TRUE(contains(text, "out_proj")) << text;
}

TEST(RenderFocus, WrapperHeadsShowTheConcatenationAsTheOutput) {
  Request r = journey_request("rand", true);
  r.heads = 2;
  r.d_out = 2;
  const Trace t = explore(r, journey_table());
  const std::string text = focus(t, "journey");
  // Head 1 is the book's SelfAttention_v1 with seed 123: context_vec_2 = [0.3061, 0.8210].
  EXPECT_TRUE(contains(text, "[0.3061, 0.8210 | ")) << text;
  EXPECT_TRUE(contains(text, "The wrapper's output is this concatenation.")) << text;
  EXPECT_FALSE(contains(text, "output(2)")) << text;
  const Trace single = trainable();
  EXPECT_FALSE(contains(focus(single, "journey"), "concatenated")) << "one head has nothing to concatenate";
  EXPECT_FALSE(contains(focus(single, "journey"), "head 1 of")) << "no banner for one head";
}

TEST(RenderFocus, BarsStayAlignedForCjkAndEmojiTokens) {
  Request r;
  r.sentence = "猫 likes 🍣 and ラーメン 👨‍👩‍👧 !";
  const Trace t = explore(r, load_table(test::bundled("default.json")));
  ASSERT_EQ(t.tokens.size(), 7u);
  const std::string text = focus(t, "🍣");
  const auto bars = section(text, "looks");
  ASSERT_EQ(bars.size(), 7u) << text;
  std::set<std::size_t> bar_starts, value_starts;
  for (std::size_t j = 0; j < bars.size(); ++j) {
    const std::string& line = bars[j];
    EXPECT_EQ(line.rfind("  " + t.tokens[j], 0), 0u) << line;
    std::size_t first_block = std::string::npos;
    for (const char* block : {"█", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}) first_block = std::min(first_block, line.find(block));
    ASSERT_NE(first_block, std::string::npos) << "every weight here is large enough to draw: " << line;
    bar_starts.insert(display_width(line.substr(0, first_block)));
    value_starts.insert(display_width(line.substr(0, line.rfind(' ') + 1)));
  }
  EXPECT_EQ(bar_starts.size(), 1u) << text;
  EXPECT_EQ(value_starts.size(), 1u) << text;
  // The widest label is the two-column family emoji or ラーメン (8 columns): bars start after it and 2 spaces.
  EXPECT_EQ(*bar_starts.begin(), 2u + 8u + 2u) << text;
}

TEST(RenderFocus, BarLengthIsThirtyColumnsPerUnitInEighths) {
  Request r;
  r.sentence = "journey";
  r.projection = Projection::none;
  const std::string one = focus(explore(r, journey_table()), "journey");
  const auto bars = section(one, "looks");
  ASSERT_EQ(bars.size(), 1u);
  std::string full;
  for (int k = 0; k < 30; ++k) full += "█";
  EXPECT_EQ(bars[0], "  journey  " + full + "  1.0000");
  // 0.1385 × 30 = 4.155 columns: 4 full blocks and 1/8 (4.155 × 8 = 33.24 eighths).
  const auto journey_bars = section(focus(simplified(), "journey"), "looks");
  EXPECT_TRUE(contains(journey_bars[0], "████▏ ")) << journey_bars[0];
  EXPECT_FALSE(contains(journey_bars[0], "█████")) << journey_bars[0];
}

TEST(RenderFocus, ColorOnlyWhenAsked) {
  const Trace t = simplified();
  const std::string plain = focus(t, "journey", 4, false);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  const std::string colored = focus(t, "journey", 4, true);
  EXPECT_NE(colored.find('\x1b'), std::string::npos);
  // The largest weight's bar (journey, 0.2379) is bold, the others are not.
  const auto bars = section(colored, "looks");
  ASSERT_EQ(bars.size(), 6u);
  EXPECT_TRUE(contains(bars[1], "\x1b[1m")) << bars[1];
  EXPECT_FALSE(contains(bars[0], "\x1b[")) << bars[0];
  EXPECT_FALSE(contains(bars[2], "\x1b[")) << bars[2];
}

TEST(RenderFocus, WideVectorsShortenTheirSums) {
  Request r = journey_request("rand", true);
  r.d_out = 64;
  const Trace t = explore(r, journey_table());
  const std::string text = focus(t, "journey");
  EXPECT_TRUE(contains(text, " + …")) << text;
  EXPECT_TRUE(contains(text, "(64 terms)")) << text;
  EXPECT_TRUE(contains(text, "(60 more components")) << text;
  EXPECT_TRUE(contains(text, "(64 values)")) << text;
  EXPECT_TRUE(contains(text, "√d_k = √64 = 8.0000")) << text;
  // The score of key 1 still comes from the trace, after the shortened sum.
  const std::string score = format_number(t.heads.front().attn_scores(1, 0), 4) + "  (64 terms)";
  EXPECT_TRUE(contains(text, "= " + score) || contains(text, "≈ " + score)) << text;
  // The 3 first and the last of 64 products, not the 60 in between.
  EXPECT_TRUE(contains(text, "q[63] = x(2)·W_query[:,63] = ")) << text;
  EXPECT_FALSE(contains(text, "q[10]")) << text;
  for (const auto& line : lines_of(text)) EXPECT_LE(display_width(line), 100u) << line;
}

TEST(RenderFocus, LinesFitAHundredColumnTerminal) {
  for (const Trace& t : {simplified(), trainable()}) {
    for (const auto& line : lines_of(focus(t, "journey"))) EXPECT_LE(display_width(line), 100u) << line;
  }
  Request r;
  r.sentence = "The quick brown fox jumps over the lazy dog while the cat sleeps";
  const Trace wide = explore(r, load_table(test::bundled("default.json")));
  for (const auto& line : lines_of(focus(wide, "fox"))) EXPECT_LE(display_width(line), 100u) << line;
}

TEST(RenderFocus, PrecisionControlsEveryNumber) {
  const Trace t = simplified();
  EXPECT_TRUE(contains(focus(t, "journey", 2), "0.55×0.43 + 0.87×0.15 + 0.66×0.89 = 0.95"));
  EXPECT_TRUE(contains(focus(t, "journey", 6), "= 0.954400"));
  EXPECT_FALSE(contains(focus(t, "journey", 2), "0.9544"));
}

TEST(RenderFocus, NamesTheTokensItAttendsToMost) {
  const std::string text = focus(simplified(), "journey");
  EXPECT_TRUE(contains(text, "\"journey\" attends most to \"journey\" (0.2379), then to \"starts\" (0.2333) and \"step\" "
                             "(0.1581)."))
      << text;
  Request r = journey_request("none", false);
  r.causal = true;
  // The first token under a causal mask sees only itself.
  const std::string first = focus(explore(r, journey_table()), "Your");
  EXPECT_TRUE(contains(first, "\"Your\" attends most to \"Your\" (1.0000).")) << first;
}

TEST(RenderFocus, WithoutWeightsTheQueryIsTheEmbedding) {
  const std::string text = focus(simplified(), "3");
  EXPECT_TRUE(contains(text, "Focus: \"starts\", token 3 of 6 (x(3) in the book's notation)")) << text;
  EXPECT_TRUE(contains(text, "the query is the embedding itself")) << text;
  EXPECT_TRUE(contains(text, "q = x(3) = " + bracketed(golden()["inputs"][2]))) << text;
  EXPECT_FALSE(contains(text, "W_query")) << text;
}

TEST(RenderFocus, QkvBiasIsTheLastTermOfEachQueryComponent) {
  Request r = journey_request("linear", true);
  r.qkv_bias = true;
  const Trace t = explore(r, journey_table());
  const std::string text = focus(t, "journey");
  ASSERT_TRUE(t.heads.front().b_query.has_value());
  EXPECT_TRUE(contains(text, "Query  q = x(2) · W_query + b_query")) << text;
  const std::string q0 = line_starting(section(text, "Query"), "q[0]");
  EXPECT_TRUE(contains(q0, "+ b[0] = ")) << q0;
  std::string bias = format_number((*t.heads.front().b_query)[0], 4);
  bias.erase(bias.find_last_not_of('0') + 1);
  if (bias[0] == '-') bias = "(" + bias + ")";
  EXPECT_TRUE(contains(q0, " + " + bias)) << q0;
  // The result follows the bias, on the same line or, when long, on the next.
  const std::string query = text.substr(text.find(q0));
  EXPECT_TRUE(contains(query.substr(0, query.find("q[1]")), "= " + format_number(t.heads.front().queries(1, 0), 4)))
      << text;
  for (const auto& line : lines_of(text)) EXPECT_LE(display_width(line), 100u) << line;
}

}  // namespace
}  // namespace attn
