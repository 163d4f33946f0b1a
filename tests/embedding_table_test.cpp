// The table loader: what a good table gives, and what each bad one says.
#include "attn/embedding_table.hpp"

#include <gtest/gtest.h>

#include "embed.hpp"
#include "attn/util/error.hpp"
#include "test_util.hpp"

namespace attn {
namespace {

// The message of the DataError that parsing `json` throws.
std::string error_of(const std::string& json) {
  try {
    parse_table(json, "t.json");
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no error)";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(EmbeddingTable, LoadsTheBundledJourneyTable) {
  const EmbeddingTable t = load_table(test::bundled("journey.json"));
  EXPECT_EQ(t.name, "journey");
  EXPECT_EQ(t.dim, 3u);
  EXPECT_EQ(t.size(), 6u);
  EXPECT_FALSE(t.weights.has_value());
  ASSERT_NE(t.find("journey"), nullptr);
  EXPECT_EQ(*t.find("journey"), (std::vector<float>{0.55f, 0.87f, 0.66f}));
}

TEST(EmbeddingTable, LookupIsExactFirstThenCaseInsensitive) {
  const EmbeddingTable t = parse_table(R"({"dim": 1, "vectors": {"The": [1], "the": [2], "Dog": [3]}})", "t");
  EXPECT_EQ((*t.find("The"))[0], 1.0f);
  EXPECT_EQ((*t.find("the"))[0], 2.0f);
  EXPECT_EQ((*t.find("THE"))[0], 1.0f);  // first spelling in the file wins
  EXPECT_EQ((*t.find("dog"))[0], 3.0f);
  EXPECT_EQ(t.find("cat"), nullptr);
}

TEST(EmbeddingTable, ReadsWeights) {
  const EmbeddingTable t = parse_table(
      R"({"dim": 2, "vectors": {"a": [1, 2]},
          "weights": {"W_query": [[1, 2, 3], [4, 5, 6]], "W_key": [[0, 0, 0], [0, 0, 1]],
                      "W_value": [[1, 1, 1], [2, 2, 2]]}})", "t");
  ASSERT_TRUE(t.weights.has_value());
  EXPECT_EQ(t.weights->W_query.rows, 2u);
  EXPECT_EQ(t.weights->W_query.cols, 3u);
  EXPECT_EQ(t.weights->W_query(1, 2), 6.0f);
  EXPECT_EQ(t.weights->W_key(1, 2), 1.0f);
}

TEST(EmbeddingTable, MalformedJsonGivesLineAndColumn) {
  const std::string e = error_of("{\"dim\": 3,\n  \"vectors\": {\"a\": [1, 2, 3],}\n}");
  EXPECT_TRUE(contains(e, "t.json:2:")) << e;
  EXPECT_TRUE(contains(e, "malformed JSON")) << e;
}

// The parser's reason is kept whole (what was wrong, what was expected); only the text it
// quotes is shortened. Before, the whole reason was cut to 80 bytes and lost its cause.
TEST(EmbeddingTable, MalformedJsonKeepsTheParsersReason) {
  const std::string bad_utf8 = error_of("{\"dim\": 2, \"vectors\": {\"a\xff\": [1, 2]}}");
  EXPECT_TRUE(contains(bad_utf8, "invalid string: ill-formed UTF-8 byte")) << bad_utf8;
  EXPECT_TRUE(contains(bad_utf8, "; expected string literal")) << bad_utf8;
  const std::string long_key = error_of("{\"dim\": 2, \"vectors\": {\"" + std::string(300, 'k') + "\x01\": [1, 2]}}");
  EXPECT_TRUE(contains(long_key, "control character")) << long_key;
  EXPECT_TRUE(contains(long_key, " … ")) << long_key;  // the quoted text, shortened
  EXPECT_LT(long_key.size(), 400u) << long_key;
}

TEST(EmbeddingTable, WrongLengthNamesTheTokenAndBothLengths) {
  const std::string e = error_of(R"({"dim": 3, "vectors": {"ok": [1, 2, 3], "short": [1, 2]}})");
  EXPECT_TRUE(contains(e, "\"short\"")) << e;
  EXPECT_TRUE(contains(e, "2 values")) << e;
  EXPECT_TRUE(contains(e, "expected 3")) << e;
}

TEST(EmbeddingTable, RefusesEachKindOfBadTable) {
  struct Case {
    const char* json;
    const char* says;
  } cases[] = {
      {"[1, 2]", "expected a JSON object"},
      {R"({"vectors": {"a": [1]}})", "missing \"dim\""},
      {R"({"dim": 0, "vectors": {"a": []}})", "\"dim\" is 0"},
      {R"({"dim": -2, "vectors": {"a": [1]}})", "\"dim\" is -2"},
      {R"({"dim": 1.5, "vectors": {"a": [1]}})", "\"dim\" is 1.5"},
      {R"({"dim": 1})", "missing \"vectors\""},
      {R"({"dim": 1, "vectors": []})", "\"vectors\" is an array"},
      {R"({"dim": 1, "vectors": {}})", "\"vectors\" is empty"},
      {R"({"dim": 1, "vectors": {"a": "x"}})", "the vector of \"a\" is a string"},
      {R"({"dim": 1, "vectors": {"a": ["x"]}})", "value 0 of \"a\" is a string"},
      {R"({"dim": 1, "vectors": {"a": [1e39]}})", "beyond the float32 range"},
      {R"({"dim": 1,
 "vectors": {"a": [1e400]}})", "t.json:2:20: number 1e400 is beyond the float32 range"},
      {R"({"dim": 1, "vectors": {"a": [NaN]}})", "malformed JSON"},
      {R"({"dim": 1, "vectors": {"a": [1], "a": [2]}})", "duplicate token \"a\""},
      {R"({"dim": 1, "dim": 2, "vectors": {"a": [1]}})", "duplicate key \"dim\""},
      {R"({"dim": 1, "vector": {"a": [1]}})", "unknown key \"vector\""},
      {R"({"dim": 1, "vectors": {"": [1]}})", "empty string"},
      {R"({"dim": 1, "vectors": {"ice cream": [1]}})", "white space"},
      {R"({"dim": 1, "name": 3, "vectors": {"a": [1]}})", "\"name\" is a number"},
      {R"({"dim": 1, "vectors": {"a": [1]}, "weights": {"W_query": [[1]], "W_key": [[1]]}})", "no \"W_value\""},
      {R"({"dim": 2, "vectors": {"a": [1, 2]}, "weights": {"W_query": [[1]], "W_key": [[1]], "W_value": [[1]]}})",
       "has 1 rows, expected 2"},
      {R"({"dim": 1, "vectors": {"a": [1]}, "weights": {"W_query": [[1, 2]], "W_key": [[1]], "W_value": [[1]]}})",
       "must agree"},
      {R"({"dim": 2, "vectors": {"a": [1, 2]}, "weights": {"W_query": [[1, 2], [3]], "W_key": [[1], [1]], "W_value": [[1], [1]]}})",
       "row 1 has 1 columns"},
      {R"({"dim": 1, "vectors": {"a": [1]}, "weights": {"W_q": [[1]]}})", "unknown key \"W_q\""},
  };
  for (const Case& c : cases) {
    const std::string e = error_of(c.json);
    EXPECT_TRUE(contains(e, c.says)) << c.json << "\n  said: " << e;
    EXPECT_TRUE(contains(e, "t.json")) << e;
  }
}

TEST(EmbeddingTable, DeepNestingIsRefusedWithoutCrashing) {
  const std::string deep = "{\"dim\": 1, \"vectors\": " + std::string(200000, '[') + std::string(200000, ']') + "}";
  EXPECT_TRUE(contains(error_of(deep), "nesting deeper")) << error_of(deep);
}

TEST(EmbeddingTable, FileErrorsNameTheFile) {
  try {
    load_table("/nonexistent/table.json");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_TRUE(contains(e.what(), "/nonexistent/table.json")) << e.what();
  }
  try {
    load_table(ATTN_DATA_DIR);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_TRUE(contains(e.what(), "directory")) << e.what();
  }
}

TEST(EmbeddingTable, AnEndlessDeviceIsRefusedAfter64MiB) {
  // /dev/zero never ends: without the cap it would be read until memory runs out.
  try {
    load_table("/dev/zero");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_TRUE(contains(e.what(), "/dev/zero: larger than 64 MiB")) << e.what();
  }
}

TEST(Embed, HashedVectorsAreDeterministicAndInsideTheTableRange) {
  const auto a = hashed_vector("zebra", 5, -0.5f, 0.5f);
  EXPECT_EQ(a, hashed_vector("Zebra", 5, -0.5f, 0.5f));
  EXPECT_NE(a, hashed_vector("zebras", 5, -0.5f, 0.5f));
  for (float v : a) {
    EXPECT_GE(v, -0.5f);
    EXPECT_LE(v, 0.5f);
    EXPECT_NEAR(v * 100.0f, std::round(v * 100.0f), 1e-3);  // two decimals
  }
}

TEST(Embed, ClosestWordsAreByEditDistance) {
  const EmbeddingTable t = load_table(test::bundled("journey.json"));
  EXPECT_EQ(closest_words(t, "jorney", 1), std::vector<std::string>{"journey"});
  EXPECT_EQ(closest_words(t, "STEPS", 1), std::vector<std::string>{"step"});
}

}  // namespace
}  // namespace attn
