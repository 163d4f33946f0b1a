// printable(): the one function user text goes through before it is echoed
// (issue 12, item 20).
#include "attn/util/echo.hpp"

#include <string>

#include <gtest/gtest.h>

namespace attn {
namespace {

TEST(Echo, KeepsWellFormedTextAndEscapesControlCharacters) {
  EXPECT_EQ(printable("héllo 日本 🙂"), "héllo 日本 🙂");
  EXPECT_EQ(printable("a\nattn-explain: error: b"), "a\\nattn-explain: error: b");
  EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\0b");
  EXPECT_EQ(printable("\x1b[31mred\x7f\t\r"), "\\x1B[31mred\\x7F\\t\\r");
  EXPECT_EQ(printable("\xc2\x9b" "31m"), "\\u009B31m");  // CSI, a C1 control some terminals obey
}

// Issue 23, item 12: the bidirectional controls would reorder what the reader sees.
TEST(Echo, BidirectionalControlsAreEscapedVisibly) {
  EXPECT_EQ(printable("abc\u202Edef"), "abc\\u202Edef");
  EXPECT_EQ(printable("\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069"),
            "\\u202A\\u202B\\u202C\\u202D\\u2066\\u2067\\u2068\\u2069");
  // Their neighbours and the marks of right-to-left text are text.
  EXPECT_EQ(printable("\u2029\u202F\u2065\u206A\u200E\u200F\u061C\u05E9"), "\u2029\u202F\u2065\u206A\u200E\u200F\u061C\u05E9");
}

// display_escape(): printable() without the cut, for what renderers show.
TEST(Echo, DisplayEscapeEscapesEverythingAndCutsNothing) {
  EXPECT_EQ(display_escape("The \x1B[2J\x1B]0;pwned\a dog"), "The \\x1B[2J\\x1B]0;pwned\\x07 dog");
  EXPECT_EQ(display_escape(std::string("a\0b\nc\xC2\x9B\u202E\xFF", 11)), "a\\0b\\nc\\u009B\\u202E\\xFF");
  const std::string long_text(5000, 'x');
  EXPECT_EQ(display_escape(long_text), long_text);
  EXPECT_EQ(display_escape("héllo 日本 🙂 ·dog"), "héllo 日本 🙂 ·dog");
}

TEST(Echo, BytesThatAreNotUtf8AreEscapedOneByOne) {
  EXPECT_EQ(printable("\xff"), "\\xFF");
  EXPECT_EQ(printable("\xc0\xaf"), "\\xC0\\xAF");          // overlong "/"
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xED\\xA0\\x80");  // a UTF-16 surrogate
  EXPECT_EQ(printable("\xe6\x97"), "\\xE6\\x97");          // cut short
}

TEST(Echo, LongTextKeepsItsBeginningAndEndWithinTheLimit) {
  const std::string text = std::string(500, 'a') + std::string(500, 'z');
  const std::string shown = printable(text, 100);
  EXPECT_LE(shown.size(), 100u);
  EXPECT_EQ(shown.rfind("aaaa", 0), 0u) << shown;
  EXPECT_NE(shown.find(" … "), std::string::npos) << shown;
  EXPECT_EQ(shown.substr(shown.size() - 4), "zzzz") << shown;
  // A cut falls between whole characters, escapes included.
  const std::string wide = printable(std::string(300, '\x01') + "日本日本日本日本日本日本日本日本日本日本日本日本日本日本", 60);
  EXPECT_LE(wide.size(), 60u);
  EXPECT_EQ(wide.rfind("\\x01", 0), 0u) << wide;
  EXPECT_EQ(wide.substr(wide.size() - 3), "本") << wide;
}

TEST(Echo, AMegabyteIsShownAsItsTwoEnds) {
  const std::string mega = "head" + std::string(1000000, '\n') + "tail";
  const std::string shown = printable(mega, kMessageLineBytes);
  EXPECT_LE(shown.size(), kMessageLineBytes);
  EXPECT_EQ(shown.rfind("head\\n", 0), 0u);
  EXPECT_EQ(shown.substr(shown.size() - 6), "\\ntail");
}

TEST(Echo, EachLineOfAHintIsEscapedOnItsOwn) {
  EXPECT_EQ(printable_lines("tokens: a\nknown: \x1b[0m"), "tokens: a\nknown: \\x1B[0m");
}

}  // namespace
}  // namespace attn
