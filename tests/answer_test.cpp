// Answers: every spelling parse_answer() accepts and refuses (pasted PyTorch
// output too), the tolerance edges of answers_match() and closeness(), and how
// answers are printed and written as JSON.
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "answers.hpp"

#include "attn/teach/answer.hpp"
#include "attn/teach/answer_compare.hpp"
#include "attn/teach/answer_read.hpp"
#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"

namespace attn {
namespace {

using Kind = Answer::Kind;

double as_number(const std::string& text) { return parse_answer(text, Kind::number).number; }
std::vector<double> as_vector(const std::string& text) { return parse_answer(text, Kind::vector).vector; }

// The UsageError message for `text` read as `kind` (fails the test when it is accepted).
std::string refusal(const std::string& text, Kind kind) {
  try {
    parse_answer(text, kind);
    ADD_FAILURE() << "accepted: \"" << text << "\"";
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

void expect_refused(const std::string& text, Kind kind, const std::string& needle) {
  const std::string message = refusal(text, kind);
  EXPECT_NE(message.find(needle), std::string::npos) << "\"" << text << "\": " << message;
}

TEST(AnswerParse, NumbersInEverySpelling) {
  EXPECT_DOUBLE_EQ(as_number("0.9544"), 0.9544);
  EXPECT_DOUBLE_EQ(as_number("  0.9544\n"), 0.9544);
  EXPECT_DOUBLE_EQ(as_number(".5"), 0.5);
  EXPECT_DOUBLE_EQ(as_number("-.5"), -0.5);
  EXPECT_DOUBLE_EQ(as_number("2."), 2.0);
  EXPECT_DOUBLE_EQ(as_number("-1e-3"), -0.001);
  EXPECT_DOUBLE_EQ(as_number("1E3"), 1000.0);
  EXPECT_DOUBLE_EQ(as_number("+2"), 2.0);
  EXPECT_DOUBLE_EQ(as_number("\u22120.5"), -0.5);  // the minus sign the tables print
  EXPECT_DOUBLE_EQ(as_number("[0.9544]"), 0.9544);
  EXPECT_DOUBLE_EQ(as_number("(1.4142)"), 1.4142);
  EXPECT_EQ(parse_answer("0.9544", Kind::number).kind, Kind::number);
}

TEST(AnswerParse, CommasInANumberAreThousandsSeparators) {
  EXPECT_DOUBLE_EQ(as_number("2,360,064"), 2360064.0);
  EXPECT_DOUBLE_EQ(as_number("2360064"), 2360064.0);
  EXPECT_DOUBLE_EQ(as_number("1,500"), 1500.0);
  EXPECT_DOUBLE_EQ(as_number("-12,345.5"), -12345.5);
  // Groups of three only: a decimal comma is refused with the point suggested.
  try {
    parse_answer("0,9544", Kind::number);
    ADD_FAILURE() << "accepted a decimal comma";
  } catch (const UsageError& e) {
    EXPECT_NE(e.hint().find("0.9544"), std::string::npos) << e.hint();
  }
  expect_refused("12,34,567", Kind::number, "not a list of 3");
  expect_refused("2,360,06", Kind::number, "expected");
}

TEST(AnswerParse, WholeNumbersAreMarkedAsWrittenWithoutAPoint) {
  EXPECT_TRUE(parse_answer("2,360,064", Kind::number).whole);
  EXPECT_TRUE(parse_answer("6 x 2", Kind::vector).whole);
  EXPECT_FALSE(parse_answer("2.0", Kind::number).whole);
  EXPECT_FALSE(parse_answer("2e0", Kind::number).whole);
  EXPECT_FALSE(parse_answer("6, 2.5", Kind::vector).whole);
}

TEST(AnswerParse, NumberErrorsSayWhatWasExpected) {
  expect_refused("", Kind::number, "empty; expected a number");
  expect_refused("   ", Kind::number, "empty");
  expect_refused("abc", Kind::number, "answer \"abc\": expected a number");
  expect_refused("1.2.3", Kind::number, "expected a number");
  expect_refused("inf", Kind::number, "expected a number");
  expect_refused("nan", Kind::number, "expected a number");
  expect_refused("-", Kind::number, "expected a number");
  expect_refused("0x10", Kind::number, "answer \"0x10\": expected");
  expect_refused("1e", Kind::number, "expected a number");
  expect_refused("1e400", Kind::number, "out of range");
  expect_refused("1, 2", Kind::number, "expected one number, not a list of 2");
  expect_refused("0.1 0.2 0.3", Kind::number, "not a list of 3");
  expect_refused("[0.5", Kind::number, "\"[\" without its \"]\"");
}

// One rule for every number attn-explain reads: too small to hold is 0, as the
// table loader reads a vector's 1e-400; too large is out of range, in both.
TEST(AnswerParse, ANumberTooSmallToHoldIsZeroAsInATable) {
  const Answer a = parse_answer("1e-400", Kind::number);
  EXPECT_EQ(a.number, 0.0);
  EXPECT_FALSE(a.whole);
  const Answer v = parse_answer("0.5, -1e-400", Kind::vector);
  ASSERT_EQ(v.vector.size(), 2u);
  EXPECT_EQ(v.vector[1], 0.0);
  expect_refused("-1e400", Kind::number, "out of range");
  const EmbeddingTable t = parse_table(R"({"dim": 2, "vectors": {"a": [1e-400, 1]}})", "t.json");
  EXPECT_EQ((*t.find("a"))[0], 0.0f);
}

TEST(AnswerParse, VectorsInEverySpelling) {
  const std::vector<double> want{0.44, 0.65, 0.57};
  for (const char* text : {"0.44, 0.65, 0.57", "[0.44 0.65 0.57]", "(0.44; 0.65; 0.57)", "0.44,0.65,0.57",
                           "[ 0.44 , 0.65 , 0.57 ]", "0.44\t0.65\n0.57", "  (0.44,0.65;0.57)  "}) {
    EXPECT_EQ(as_vector(text), want) << text;
  }
  EXPECT_EQ(as_vector("\u22120.5, 1"), (std::vector<double>{-0.5, 1.0}));
  EXPECT_EQ(as_vector("0.5"), std::vector<double>{0.5});  // a lone number is a vector of length 1
  EXPECT_EQ(as_vector("6 x 2"), (std::vector<double>{6, 2}));
  EXPECT_EQ(as_vector("6x2"), (std::vector<double>{6, 2}));
  EXPECT_EQ(as_vector("6 \u00d7 2"), (std::vector<double>{6, 2}));
  EXPECT_EQ(as_vector("[1e-3, -2E2]"), (std::vector<double>{0.001, -200.0}));
  EXPECT_EQ(parse_answer("1, 2", Kind::vector).kind, Kind::vector);
}

TEST(AnswerParse, VectorErrorsNameTheComponent) {
  expect_refused("", Kind::vector, "empty; expected a vector");
  expect_refused("[]", Kind::vector, "empty");
  expect_refused("1, abc", Kind::vector, "component 2, \"abc\", is not a number");
  expect_refused("1,,2", Kind::vector, "component 2 is missing");
  expect_refused("1, 2,", Kind::vector, "component 3 is missing");
  expect_refused(", 1", Kind::vector, "component 1 is missing");
  expect_refused("1; ; 2", Kind::vector, "component 2 is missing");
  expect_refused("[1, 2", Kind::vector, "\"[\" without its \"]\"");
  expect_refused("1, 2)", Kind::vector, "\")\" without its \"(\"");
  expect_refused("(1, 2]", Kind::vector, "\"(\" without its \")\"");
  expect_refused("[1, [2]]", Kind::vector, "brackets inside brackets");
  expect_refused("1, 1e999", Kind::vector, "component 2, 1e999, is out of range");
  expect_refused("1, nan", Kind::vector, "component 2, \"nan\", is not a number");
  expect_refused("x 2", Kind::vector, "not a number");  // an x is a separator only between numbers
}

TEST(AnswerParse, TokensLoseSpacesAndOnePairOfQuotes) {
  EXPECT_EQ(parse_answer("ball", Kind::token).token, "ball");
  EXPECT_EQ(parse_answer("  ball \n", Kind::token).token, "ball");
  EXPECT_EQ(parse_answer("\"ball\"", Kind::token).token, "ball");
  EXPECT_EQ(parse_answer("'ball'", Kind::token).token, "ball");
  EXPECT_EQ(parse_answer("\u201cball\u201d", Kind::token).token, "ball");
  EXPECT_EQ(parse_answer("\"\"ball\"\"", Kind::token).token, "\"ball\"");  // only one pair
  EXPECT_EQ(parse_answer(",", Kind::token).token, ",");                    // punctuation is a token too
  EXPECT_EQ(parse_answer("\"", Kind::token).token, "\"");
  EXPECT_EQ(parse_answer("2", Kind::token).kind, Kind::token);
  expect_refused("", Kind::token, "empty; expected a token");
  expect_refused("\"\"", Kind::token, "empty");
  expect_refused("' '", Kind::token, "empty");
}

using test::num;
using test::tok;
using test::vec;

TEST(AnswerMatch, ToleranceIsAbsoluteAndInclusive) {
  const double tol = 5e-4;
  EXPECT_TRUE(answers_match(num(0.9544), num(0.9544), tol));
  EXPECT_TRUE(answers_match(num(0.9549), num(0.9544), tol));  // exactly at the edge, above
  EXPECT_TRUE(answers_match(num(0.9539), num(0.9544), tol));  // and below
  EXPECT_FALSE(answers_match(num(0.95491), num(0.9544), tol));
  EXPECT_FALSE(answers_match(num(0.95389), num(0.9544), tol));
  EXPECT_TRUE(answers_match(num(1.0005), num(1.0), tol));
  EXPECT_FALSE(answers_match(num(1.0006), num(1.0), tol));
  EXPECT_TRUE(answers_match(num(2360064), num(2360064), tol));
  EXPECT_FALSE(answers_match(num(2360065), num(2360064), tol));  // counts are exact at this tolerance
  EXPECT_TRUE(answers_match(num(3), num(3), 0.0));
  EXPECT_FALSE(answers_match(num(3.001), num(3), 0.0));
  EXPECT_TRUE(answers_match(num(0.3), num(0.1), 0.2));  // wide tolerances are absolute too
  EXPECT_FALSE(answers_match(num(0.31), num(0.1), 0.2));
}

TEST(AnswerMatch, NonFiniteNeverMatches) {
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(answers_match(num(nan), num(nan), 1.0));
  EXPECT_FALSE(answers_match(num(inf), num(inf), 1.0));
  EXPECT_FALSE(answers_match(num(0.5), num(nan), 1.0));
}

TEST(AnswerMatch, VectorsComponentByComponent) {
  const Answer correct = vec({0.3061, 0.8210});
  EXPECT_TRUE(answers_match(vec({0.3061, 0.8210}), correct, 5e-4));
  EXPECT_TRUE(answers_match(vec({0.3066, 0.8205}), correct, 5e-4));
  EXPECT_FALSE(answers_match(vec({0.3061, 0.8220}), correct, 5e-4));  // one component off
  EXPECT_FALSE(answers_match(vec({0.3061}), correct, 5e-4));          // too short
  EXPECT_FALSE(answers_match(vec({0.3061, 0.8210, 0.0}), correct, 5e-4));
  EXPECT_FALSE(answers_match(vec({}), vec({}), 5e-4));
  // A number and a vector of length 1 compare as numbers.
  EXPECT_TRUE(answers_match(num(0.5), vec({0.5}), 5e-4));
  EXPECT_TRUE(answers_match(vec({0.5}), num(0.5), 5e-4));
  EXPECT_FALSE(answers_match(num(0.5), vec({0.5, 0.5}), 5e-4));
}

TEST(AnswerMatch, TokensAsTextOrIgnoringAsciiCase) {
  EXPECT_TRUE(answers_match(tok("ball"), tok("ball"), 0));
  EXPECT_TRUE(answers_match(tok("BALL"), tok("ball"), 0));
  EXPECT_TRUE(answers_match(tok("Ball"), tok("ball"), 0));
  EXPECT_FALSE(answers_match(tok("balls"), tok("ball"), 0));
  EXPECT_FALSE(answers_match(tok("dog"), tok("ball"), 0));
  EXPECT_FALSE(answers_match(tok("ÉTÉ"), tok("été"), 0));  // ASCII case only
  EXPECT_FALSE(answers_match(tok("1"), num(1), 1.0));
  EXPECT_FALSE(answers_match(num(1), tok("1"), 1.0));
}

TEST(AnswerFormat, NumbersVectorsAndTokens) {
  EXPECT_EQ(format_answer(num(0.123456), 4), "0.1235");
  EXPECT_EQ(format_answer(num(0.9544), 2), "0.95");
  EXPECT_EQ(format_answer(num(-0.00001), 4), "0.0000");  // never "-0.0000"
  EXPECT_EQ(format_answer(num(-0.5), 4), "-0.5000");
  EXPECT_EQ(format_answer(num(2), 4), "2.0000");
  EXPECT_EQ(format_answer(num(std::numeric_limits<double>::quiet_NaN()), 4), "nan");
  EXPECT_EQ(format_answer(num(-std::numeric_limits<double>::infinity()), 4), "-inf");
  Answer count = num(2360064);
  count.whole = true;
  EXPECT_EQ(format_answer(count, 4), "2360064");
  EXPECT_EQ(format_answer(vec({0.30614, 0.82096}), 4), "[0.3061, 0.8210]");
  Answer shape = vec({6, 2});
  shape.whole = true;
  EXPECT_EQ(format_answer(shape, 4), "[6, 2]");
  EXPECT_EQ(format_answer(tok("ball"), 4), "\"ball\"");
}

TEST(AnswerFormat, WhatIsPrintedReadsBack) {
  for (const Answer& a : {num(0.95437), num(-1.25), vec({0.1, -0.2, 0.3}), vec({6, 2}), tok("ball"), tok(",")}) {
    const Answer back = parse_answer(format_answer(a, 4), a.kind);
    EXPECT_TRUE(answers_match(back, a, 5e-4)) << format_answer(a, 4);
  }
  Answer count = num(2360064);
  count.whole = true;
  EXPECT_EQ(parse_answer(format_answer(count, 4), Kind::number).number, 2360064.0);
}

TEST(AnswerJson, NumbersArraysAndStrings) {
  const nlohmann::json n = answer_to_json(num(0.9544));
  EXPECT_TRUE(n.is_number_float());
  EXPECT_DOUBLE_EQ(n.get<double>(), 0.9544);
  Answer count = num(2360064);
  count.whole = true;
  EXPECT_TRUE(answer_to_json(count).is_number_integer());
  EXPECT_EQ(answer_to_json(count).dump(), "2360064");
  EXPECT_EQ(answer_to_json(vec({0.5, 0.25})), nlohmann::json::parse("[0.5, 0.25]"));
  Answer shape = vec({6, 2});
  shape.whole = true;
  EXPECT_EQ(answer_to_json(shape).dump(), "[6,2]");
  EXPECT_EQ(answer_to_json(tok("ball")), nlohmann::json("ball"));
}

// ───────────── issue 12, item 6: decimals as written, pasted PyTorch output ─────────────

std::vector<int> decimals_of(const std::string& text, Kind kind) { return parse_answer(text, kind).decimals; }

TEST(AnswerParse, RemembersTheDecimalsOfEachNumber) {
  EXPECT_EQ(decimals_of("0.44, 0.65, 0.57", Kind::vector), (std::vector<int>{2, 2, 2}));
  EXPECT_EQ(decimals_of("[0.4419 0.65 1]", Kind::vector), (std::vector<int>{4, 2, 0}));
  EXPECT_EQ(decimals_of("0.9544", Kind::number), std::vector<int>{4});
  EXPECT_EQ(decimals_of("1e-3", Kind::number), std::vector<int>{3});     // 0.001
  EXPECT_EQ(decimals_of("-7.5e-2", Kind::number), std::vector<int>{3});  // -0.075
  EXPECT_EQ(decimals_of("2.5e2", Kind::number), std::vector<int>{0});    // 250
  EXPECT_EQ(decimals_of("2,360,064", Kind::number), std::vector<int>{0});
  EXPECT_EQ(decimals_of("2.", Kind::number), std::vector<int>{0});
  EXPECT_EQ(decimals_of("1.2345e-01", Kind::vector), std::vector<int>{5});  // as PyTorch prints small numbers
  EXPECT_TRUE(num(0.5).decimals.empty());  // a computed answer: no decimals written
}

TEST(AnswerParse, PastedPyTorchTensors) {
  // What PyTorch prints for the book's SelfAttention_v2 output, row 2 (seed 789).
  for (const char* text : {"tensor([-0.0748, 0.0703])", "tensor([-0.0748,  0.0703], grad_fn=<SelectBackward0>)",
                           "tensor([[-0.0748,  0.0703]], grad_fn=<MmBackward0>)", "  tensor([-0.0748, 0.0703])\n",
                           "tensor([-0.0748, 0.0703], requires_grad=True)", "[[-0.0748, 0.0703]]",
                           "tensor([-0.0748, 0.0703], dtype=torch.float32)"}) {
    const Answer a = parse_answer(text, Kind::vector);
    EXPECT_EQ(a.vector, (std::vector<double>{-0.0748, 0.0703})) << text;
    EXPECT_EQ(a.decimals, (std::vector<int>{4, 4})) << text;
  }
  // A one-row matrix printed over several lines.
  EXPECT_EQ(as_vector("tensor([[0.4419,\n         0.6515, 0.5683]])"), (std::vector<double>{0.4419, 0.6515, 0.5683}));
  // Scalars: torch.dot(x_2, x_1) prints tensor(0.9544).
  EXPECT_DOUBLE_EQ(as_number("tensor(0.9544)"), 0.9544);
  EXPECT_DOUBLE_EQ(as_number("tensor(1.8524, grad_fn=<DotBackward0>)"), 1.8524);
  EXPECT_DOUBLE_EQ(as_number("tensor([0.9544])"), 0.9544);
  EXPECT_DOUBLE_EQ(as_number("tensor(2360064)"), 2360064.0);
  // A shape as PyTorch prints it.
  const Answer shape = parse_answer("torch.Size([6, 4])", Kind::vector);
  EXPECT_EQ(shape.vector, (std::vector<double>{6, 4}));
  EXPECT_TRUE(shape.whole);
}

TEST(AnswerParse, PastedTensorsThatAreNotOneRow) {
  expect_refused("tensor([[0.4421, 0.5931, 0.5790],\n        [0.4419, 0.6515, 0.5683]])", Kind::vector,
                 "a matrix of 2 rows; expected one row");
  expect_refused("tensor([[0.4421, 0.5931], [0.4419, 0.6515]])", Kind::number, "a matrix of 2 rows");
  expect_refused("tensor([-0.0748, 0.0703]", Kind::vector, "\"tensor(\" without its \")\"");
  expect_refused("tensor([-0.0748, 0.0703], 7)", Kind::vector, "\"7\" after the numbers");
  expect_refused("tensor()", Kind::vector, "empty");
  expect_refused("[[1, 2], 3]", Kind::vector, "brackets inside brackets");
}

TEST(AnswerCloseness, TheDecimalsAskedForSetTheTolerance) {
  const Precision four{4, 0.5e-4};
  // The book's SelfAttention_v2 rows 2 and 3 (seed 789): journey and starts.
  const Answer journey = vec({-0.07481073, 0.07030930});
  EXPECT_EQ(closeness(parse_answer("-0.0748, 0.0703", Kind::vector), journey, four), Closeness::printed);
  EXPECT_EQ(closeness(parse_answer("-0.0749, 0.0702", Kind::vector), journey, four), Closeness::different);
  // More decimals than asked: right when it rounds to the printed value.
  EXPECT_EQ(closeness(parse_answer("-0.07481, 0.070309", Kind::vector), journey, four), Closeness::printed);
  EXPECT_EQ(closeness(parse_answer("0.07026", Kind::number), num(0.07034), four), Closeness::printed);  // both 0.0703
  EXPECT_EQ(closeness(parse_answer("0.07024", Kind::number), num(0.07034), four), Closeness::different);
  // Within half a unit of the fourth decimal, at the edge: right (the half-way case).
  EXPECT_EQ(closeness(num(0.95445), num(0.9544), four), Closeness::printed);
  EXPECT_EQ(closeness(num(0.95446), num(0.9544), four), Closeness::different);
  // A wider tolerance, for tables too rounded for four decimals.
  const Precision wide{4, 2e-4};
  EXPECT_EQ(closeness(num(0.4307), num(0.43063691), wide), Closeness::within_tolerance);
  EXPECT_EQ(closeness(num(0.4307), num(0.43063691), four), Closeness::different);
  EXPECT_EQ(closeness(num(0.4310), num(0.43063691), wide), Closeness::different);
  // Whole numbers asked for: decimals 0, tolerance 0.5.
  const Precision whole{0, 0.5};
  EXPECT_EQ(closeness(parse_answer("2,360,064", Kind::number), num(2360064), whole), Closeness::printed);
  EXPECT_EQ(closeness(parse_answer("2360065", Kind::number), num(2360064), whole), Closeness::different);
}

TEST(AnswerCloseness, FewerDecimalsThanAsked) {
  const Precision four{4, 0.5e-4};
  const Answer z2 = vec({0.44186574, 0.65148199, 0.56830883});  // the book's context_vec_2
  EXPECT_EQ(closeness(parse_answer("0.44, 0.65, 0.57", Kind::vector), z2, four), Closeness::too_few_decimals);
  EXPECT_EQ(closeness(parse_answer("0.4419, 0.65, 0.5683", Kind::vector), z2, four), Closeness::too_few_decimals);
  EXPECT_EQ(closeness(parse_answer("0.44, 0.65, 0.99", Kind::vector), z2, four), Closeness::different);
  EXPECT_EQ(closeness(parse_answer("0.45, 0.65, 0.57", Kind::vector), z2, four), Closeness::different);
  EXPECT_EQ(closeness(parse_answer("0.44, 0.65", Kind::vector), z2, four), Closeness::different);
  // Fewer decimals, but exact: 2 is 2.0000, 0 is 0.0000.
  EXPECT_EQ(closeness(parse_answer("2", Kind::number), num(2.0), four), Closeness::printed);
  EXPECT_EQ(closeness(parse_answer("0.3, 0, 0", Kind::vector), vec({0.3, 0.0, 0.0}), four), Closeness::printed);
  EXPECT_EQ(closeness(parse_answer("0.5", Kind::number), num(2.0), four), Closeness::different);
  // Computed values have every decimal: never "too few".
  EXPECT_EQ(closeness(num(0.44), num(0.4419), four), Closeness::different);
}

TEST(AnswerCloseness, TokensAndNonFiniteValues) {
  const Precision four{4, 0.5e-4};
  EXPECT_EQ(closeness(tok("Ball"), tok("ball"), four), Closeness::printed);
  EXPECT_EQ(closeness(tok("dog"), tok("ball"), four), Closeness::different);
  EXPECT_EQ(closeness(num(std::numeric_limits<double>::quiet_NaN()), num(0.5), four), Closeness::different);
  EXPECT_EQ(closeness(num(0.5), vec({0.5}), four), Closeness::printed);
}

TEST(AnswerFormat, AsTheLearnerWroteIt) {
  EXPECT_EQ(format_as_given(parse_answer("0.44, 0.65, 0.57", Kind::vector), 4), "[0.44, 0.65, 0.57]");
  EXPECT_EQ(format_as_given(parse_answer("1e-3", Kind::number), 4), "0.001");
  EXPECT_EQ(format_as_given(parse_answer("2", Kind::number), 4), "2");
  EXPECT_EQ(format_as_given(num(0.123456), 4), "0.1235");  // computed: at the precision given
}

TEST(AnswerKind, Names) {
  EXPECT_STREQ(kind_name(Kind::number), "a number");
  EXPECT_STREQ(kind_name(Kind::vector), "a vector");
  EXPECT_STREQ(kind_name(Kind::token), "a token");
}

}  // namespace
}  // namespace attn
