// The tokenizer: the tutorials' splits, any script, and bad bytes refused.
#include "attn/tokenizer.hpp"

#include <gtest/gtest.h>

#include "attn/error.hpp"

namespace attn {
namespace {

std::vector<std::string> texts(std::string_view s) {
  std::vector<std::string> out;
  for (const Token& t : tokenize(s)) out.push_back(t.text);
  return out;
}

using V = std::vector<std::string>;

TEST(Tokenizer, SplitsTheTutorialsSentences) {
  EXPECT_EQ(texts("How are you doing?"), (V{"How", "are", "you", "doing", "?"}));
  EXPECT_EQ(texts("The dog chased the ball, and it rolled away."),
            (V{"The", "dog", "chased", "the", "ball", ",", "and", "it", "rolled", "away", "."}));
  EXPECT_EQ(texts("Your journey starts with one step"), (V{"Your", "journey", "starts", "with", "one", "step"}));
}

TEST(Tokenizer, RecordsByteOffsets) {
  const auto t = tokenize("  ball, it");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].offset, 2u);
  EXPECT_EQ(t[1].offset, 6u);
  EXPECT_EQ(t[2].offset, 8u);
}

TEST(Tokenizer, KeepsContractionsHyphensAndNumbersWhole) {
  EXPECT_EQ(texts("don't it's self-attention"), (V{"don't", "it's", "self-attention"}));
  EXPECT_EQ(texts("it\u2019s"), (V{"it\u2019s"}));
  EXPECT_EQ(texts("pi is 3.14, not 1,000."), (V{"pi", "is", "3.14", ",", "not", "1,000", "."}));
  EXPECT_EQ(texts("x(2)"), (V{"x", "(", "2", ")"}));
  EXPECT_EQ(texts("'quoted' - dash"), (V{"'", "quoted", "'", "-", "dash"}));
  EXPECT_EQ(texts("end-"), (V{"end", "-"}));
}

TEST(Tokenizer, EachMarkIsItsOwnToken) {
  EXPECT_EQ(texts("What?!"), (V{"What", "?", "!"}));
  EXPECT_EQ(texts("\u00BFQu\u00E9?"), (V{"\u00BF", "Qu\u00E9", "?"}));
  EXPECT_EQ(texts("\u201Chi\u201D\u2026"), (V{"\u201C", "hi", "\u201D", "\u2026"}));
  EXPECT_EQ(texts("\u4F60\u597D\u3002"), (V{"\u4F60\u597D", "\u3002"}));
}

TEST(Tokenizer, WordsInAnyScriptStayWhole) {
  EXPECT_EQ(texts("caf\u00E9 na\u00EFve \u041F\u0440\u0438\u0432\u0435\u0442"),
            (V{"caf\u00E9", "na\u00EFve", "\u041F\u0440\u0438\u0432\u0435\u0442"}));
  EXPECT_EQ(texts("cafe\u0301!"), (V{"cafe\u0301", "!"}));  // combining accent stays
}

TEST(Tokenizer, EmojiAreTokensWithTheirModifiers) {
  EXPECT_EQ(texts("I \u2764\uFE0F it"), (V{"I", "\u2764\uFE0F", "it"}));
  EXPECT_EQ(texts("\U0001F44D\U0001F3FD\U0001F600"), (V{"\U0001F44D\U0001F3FD", "\U0001F600"}));
  const std::string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
  EXPECT_EQ(texts("a " + family + " b"), (V{"a", family, "b"}));
}

TEST(Tokenizer, WhiteSpaceOfAnyKindSeparates) {
  EXPECT_EQ(texts("a\tb\nc\u00A0d\u3000e\r\n"), (V{"a", "b", "c", "d", "e"}));
  EXPECT_TRUE(tokenize("").empty());
  EXPECT_TRUE(tokenize(" \t\n ").empty());
  EXPECT_EQ(texts("\xEF\xBB\xBFhi"), (V{"hi"}));  // a leading byte order mark is ignored
}

TEST(Tokenizer, RefusesInvalidUtf8WithTheByteOffset) {
  const struct {
    std::string bytes;
    std::size_t at;
  } cases[] = {
      {"ok \xff", 3},                 // never a lead byte
      {"ab\xc3", 2},                  // truncated at the end
      {"ab\xc3z", 2},                 // truncated before a letter
      {"\x80 stray", 0},              // a continuation byte first
      {"x\xc0\xaf", 1},               // overlong '/'
      {"x\xe0\x80\xaf", 1},           // overlong, three bytes
      {"x\xed\xa0\x80", 1},           // a surrogate
      {"x\xf4\x90\x80\x80", 1},       // beyond U+10FFFF
      {"x\xf8\x88\x80\x80\x80", 1},   // five-byte form
  };
  for (const auto& c : cases) {
    try {
      tokenize(c.bytes);
      ADD_FAILURE() << "accepted invalid UTF-8 at byte " << c.at;
    } catch (const DataError& e) {
      EXPECT_EQ(std::string(e.what()), "invalid UTF-8 in the sentence at byte " + std::to_string(c.at));
    }
  }
}

TEST(Tokenizer, RefusesControlCharacters) {
  try {
    tokenize("abc\adef");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(), "control character U+0007 in the sentence at byte 3");
  }
  EXPECT_THROW(tokenize(std::string("a\0b", 3)), DataError);
  EXPECT_THROW(tokenize("a\x7f"), DataError);
  EXPECT_THROW(tokenize("a\xc2\x85"), DataError);  // U+0085, a C1 control
}

TEST(Tokenizer, IsLinearOnAMegabyte) {
  std::string big;
  for (int i = 0; i < 100000; ++i) big += "word, ";
  EXPECT_EQ(tokenize(big).size(), 200000u);
  EXPECT_EQ(tokenize(std::string(1 << 20, 'a')).size(), 1u);
}

TEST(DisplayWidth, CountsTerminalColumns) {
  EXPECT_EQ(display_width("dog"), 3u);
  EXPECT_EQ(display_width("caf\u00E9"), 4u);
  EXPECT_EQ(display_width("cafe\u0301"), 4u);
  EXPECT_EQ(display_width("\u732B\u304C"), 4u);
  EXPECT_EQ(display_width("\U0001F600"), 2u);
  EXPECT_EQ(display_width("\u2764\uFE0F"), 1u);
  EXPECT_EQ(display_width("\U0001F468\u200D\U0001F469\u200D\U0001F467"), 2u);
  EXPECT_EQ(display_width(""), 0u);
}

}  // namespace
}  // namespace attn
