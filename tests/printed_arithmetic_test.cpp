// The focus view writes "=" only where the printed numbers add up, and "≈"
// with a reason where they do not (issue 12, item 3). Every expected verdict
// here is worked by hand on the digits shown.
#include "printed_arithmetic.hpp"

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/explorer.hpp"
#include "attn/render/render_focus.hpp"
#include "attn/render/text_layout.hpp"
#include "test_util.hpp"
#include "attn/token_lookup.hpp"

namespace attn {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(PrintedArithmetic, SumsHoldOnlyWhenThePrintedTermsAddUp) {
  // 0.1576 + 0.1826 + 0.2573 + 0.2450 + 0.1576 = 1.0001
  const std::vector<std::string> terms{"0.1576", "0.1826", "0.2573", "0.2450", "0.1576"};
  EXPECT_EQ(sum_holds(terms, "1.0000"), false);
  EXPECT_EQ(sum_holds(terms, "1.0001"), true);
  EXPECT_EQ(printed_sum(terms), "1.0001");
  // At two decimals: 0.17 + 0.20 + 0.18 + 0.29 + 0.17 = 1.01
  EXPECT_EQ(sum_holds({"0.17", "0.20", "0.18", "0.29", "0.17"}, "1.00"), false);
  EXPECT_EQ(printed_sum({"-0.5", "0.25"}), "-0.25");
  EXPECT_EQ(printed_sum({"-0.05", "0.01"}), "-0.04");
}

// The same verdicts on numbers read once (the HTML page's cells), worked by hand.
TEST(PrintedArithmetic, NumbersReadOnceGiveTheSameVerdicts) {
  const auto n = [](const char* text) { return read_printed(text); };
  // 0.55×0.2961 + 0.87×0.2517 + 0.66×0.074 = 0.430674
  const std::vector<PrintedNumber> a{n("0.55"), n("0.87"), n("0.66")}, b{n("0.2961"), n("0.2517"), n("0.074")};
  EXPECT_EQ(dot_holds(a, b, n("0.4307")), true);
  EXPECT_EQ(dot_holds(a, b, n("0.4306")), false);
  EXPECT_EQ(dot_holds(a, b, n("nan")), std::nullopt);
  // 0.1576 + 0.1826 + 0.2573 + 0.2450 + 0.1576 = 1.0001
  const std::vector<PrintedNumber> terms{n("0.1576"), n("0.1826"), n("0.2573"), n("0.2450"), n("0.1576")};
  EXPECT_EQ(sum_holds(terms, n("1.0000")), false);
  EXPECT_EQ(sum_holds(terms, n("1.0001")), true);
  // 0.2264 × 1 × 2 = 0.4528; 1 / 3 = 0.3333…
  EXPECT_EQ(product_holds(n("0.2264"), n("1"), n("2"), n("0.4528")), true);
  EXPECT_EQ(product_holds(n("0.2264"), n("0"), n("2"), n("0.4528")), false);
  EXPECT_EQ(quotient_holds(n("1"), n("3"), n("0.3333")), true);
  EXPECT_EQ(quotient_holds(n("1"), n("3"), n("0.3334")), false);
  EXPECT_EQ(quotient_holds(n("1"), n("0"), n("0.3334")), false);
  EXPECT_FALSE(n("inf").readable);
  EXPECT_TRUE(n("(-0.1)").readable);
}

TEST(PrintedArithmetic, AValueReadWithoutItsTextIsTheTextRead) {
  // printed_value(v, p) is read_printed(format_number(v, p)): every precision, values of every size.
  std::mt19937 random(25);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  const float specials[] = {0.0f, -0.0f, 0.5f, 2.5f, -0.00004f, 1e20f, -3e38f, std::nanf(""), INFINITY, -INFINITY};
  for (int p = 0; p <= 9; ++p) {
    for (float v : specials) {
      const PrintedNumber a = printed_value(v, p), b = read_printed(format_number(v, p));
      EXPECT_EQ(a.readable, b.readable) << v << " at " << p;
      EXPECT_TRUE(a.units == b.units && a.scale == b.scale) << v << " at " << p;
    }
    for (int k = 0; k < 20000; ++k) {
      const float v = unit(random) * std::pow(10.0f, static_cast<float>(k % 9) - 4.0f);
      const PrintedNumber a = printed_value(v, p), b = read_printed(format_number(v, p));
      ASSERT_TRUE(a.readable && b.readable && a.units == b.units && a.scale == b.scale) << v << " at " << p;
    }
  }
}

TEST(PrintedArithmetic, ProductsRoundToTheResultsDecimals) {
  // 0.55×0.2961 + 0.87×0.2517 + 0.66×0.074 = 0.162855 + 0.218979 + 0.04884 = 0.430674
  EXPECT_EQ(sum_holds({"0.55×0.2961", "0.87×0.2517", "0.66×0.074"}, "0.4307"), true);
  EXPECT_EQ(sum_holds({"0.55×0.2961", "0.87×0.2517", "0.66×0.074"}, "0.4306"), false);
  // Negative factors are printed in parentheses: (-0.1)×2 + 1 = 0.8
  EXPECT_EQ(sum_holds({"(-0.1)×2", "1"}, "0.8000"), true);
  EXPECT_EQ(product_holds("0.2264", "2", "0.4528"), true);
  EXPECT_EQ(product_holds("0.2264", "2", "0.4527"), false);
}

TEST(PrintedArithmetic, DifferencesAndQuotients) {
  EXPECT_EQ(difference_holds("0.9544", "1.4950", "-0.5406"), true);
  EXPECT_EQ(difference_holds("0.8984", "1.3098", "-0.4115"), false);  // the digits give -0.4114
  // 1.8524 / 1.4142 = 1.30985..., which rounds to 1.3099, not 1.3098
  EXPECT_EQ(quotient_holds("1.8524", "1.4142", "1.3099"), true);
  EXPECT_EQ(quotient_holds("1.8524", "1.4142", "1.3098"), false);
  // 0.5824 / 4.2036 = 0.138548...
  EXPECT_EQ(quotient_holds("0.5824", "4.2036", "0.1385"), true);
  EXPECT_EQ(quotient_holds("1", "0", "0"), false);
}

TEST(PrintedArithmetic, WhatCannotBeCheckedIsNotJudged) {
  EXPECT_EQ(sum_holds({"nan", "1"}, "1"), std::nullopt);
  EXPECT_EQ(sum_holds({"inf"}, "inf"), std::nullopt);
  EXPECT_EQ(difference_holds("1e30", "1", "0"), std::nullopt);
  const std::string huge(60, '9');
  EXPECT_EQ(sum_holds({huge, huge}, "1"), std::nullopt);
}

std::string focus_on(const std::string& token, int precision) {
  static const EmbeddingTable table = load_table(test::bundled("default.json"));
  Request r;
  r.sentence = "How are you doing?";
  const Trace t = explore(r, table);
  return render_focus(t, find_focus(t, token), FocusOptions{precision, false, std::nullopt});
}

TEST(FocusCheckLine, ARoundedSumThatMissesSaysSoAndShowsTheTermsTotal) {
  const std::string how = focus_on("How", 4);
  EXPECT_TRUE(has(how, "Check: 0.1576 + 0.1826 + 0.2573 + 0.2450 + 0.1576 ≈ 1.0000\n")) << how;
  EXPECT_TRUE(has(how, "The rounded terms add up to 1.0001; unrounded, the weights sum to 1.0000.")) << how;
  EXPECT_FALSE(has(how, "0.1576 = 1.0000")) << how;
  const std::string you = focus_on("you", 2);
  EXPECT_TRUE(has(you, "Check: 0.17 + 0.20 + 0.18 + 0.29 + 0.17 ≈ 1.00\n")) << you;
  EXPECT_TRUE(has(you, "The rounded terms add up to 1.01")) << you;
  // Where the digits do add up, "=" stays: 0.16 + 0.18 + 0.26 + 0.24 + 0.16 = 1.00.
  EXPECT_TRUE(has(focus_on("How", 2), "Check: 0.16 + 0.18 + 0.26 + 0.24 + 0.16 = 1.00\n"));
}

TEST(FocusCheckLine, EveryApproximateLineIsMarkedAndExplainedOnce) {
  const std::string page = focus_on("you", 4);
  std::size_t notes = 0;
  for (std::size_t at = page.find("≈: every number shown is rounded"); at != std::string::npos;
       at = page.find("≈: every number shown is rounded", at + 1))
    ++notes;
  EXPECT_EQ(notes, 1u) << page;
  // No line says "=" about numbers that do not give it: every "a / b = q" line holds on its digits.
  std::size_t from = 0, checked = 0;
  for (std::size_t to; (to = page.find('\n', from)) != std::string::npos; from = to + 1) {
    const std::string line = page.substr(from, to - from);
    const std::size_t slash = line.find(" / "), eq = line.find(" = ", slash == std::string::npos ? 0 : slash);
    if (slash == std::string::npos || eq == std::string::npos || line.find("√") != std::string::npos) continue;
    const std::size_t a_start = line.rfind(' ', slash - 1) + 1;
    const std::string a = line.substr(a_start, slash - a_start), b = line.substr(slash + 3, eq - slash - 3),
                      q = line.substr(eq + 3);
    const std::optional<bool> holds = quotient_holds(a, b, q);
    if (!holds) continue;  // a title, not a line of arithmetic
    EXPECT_TRUE(*holds) << line;
    ++checked;
  }
  EXPECT_GE(checked, 10u) << page;  // the scaling and the division lines, 5 each
}

}  // namespace
}  // namespace attn
