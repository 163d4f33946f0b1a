// The tokenizer: the tutorials' splits, any script, emoji, bad bytes refused
// with their offset, linear time; and display widths (unicode.hpp), including
// what unicode.cpp decides beyond utf8proc's tables.
#include "tokenizer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "attn/util/error.hpp"
#include "attn/util/unicode.hpp"

namespace attn {
namespace {

using V = std::vector<std::string>;

V texts(std::string_view s) {
  V out;
  for (const Token& t : tokenize(s)) out.push_back(t.text);
  return out;
}

std::vector<std::size_t> offsets(std::string_view s) {
  std::vector<std::size_t> out;
  for (const Token& t : tokenize(s)) out.push_back(t.offset);
  return out;
}

// The message of the DataError tokenize(s) throws, or "" if it throws none.
std::string refusal(std::string_view s) {
  try {
    tokenize(s);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

// --- The tutorials' sentences ---------------------------------------------------

TEST(Tokenizer, SplitsTheTutorialsSentences) {
  EXPECT_EQ(texts("How are you doing?"), (V{"How", "are", "you", "doing", "?"}));
  EXPECT_EQ(texts("The dog chased the ball, and it rolled away."),
            (V{"The", "dog", "chased", "the", "ball", ",", "and", "it", "rolled", "away", "."}));
  EXPECT_EQ(texts("Your journey starts with one step"),
            (V{"Your", "journey", "starts", "with", "one", "step"}));
}

TEST(Tokenizer, RecordsByteOffsets) {
  EXPECT_EQ(offsets("How are you doing?"), (std::vector<std::size_t>{0, 4, 8, 12, 17}));
  EXPECT_EQ(offsets("  ball, it"), (std::vector<std::size_t>{2, 6, 8}));
  // Offsets count bytes, not characters: "café" is 5 bytes.
  EXPECT_EQ(offsets("caf\u00E9 au lait"), (std::vector<std::size_t>{0, 6, 9}));
  EXPECT_EQ(offsets("\u4F60\u597D\u3002ok"), (std::vector<std::size_t>{0, 6, 9}));
}

TEST(Tokenizer, TokensAreTheSentencesBytesAtTheirOffsets) {
  const std::string sentences[] = {
      "How are you doing?",
      "  don't\tstop, 3.14\u2026 ",
      "caf\u00E9 cafe\u0301 \u041C\u0438\u0440!",
      "\U0001F44D\U0001F3FD hi\U0001F600 \U0001F1EB\U0001F1F7",
      "\xEF\xBB\xBF\u00BFQu\u00E9?",
  };
  for (const std::string& s : sentences) {
    for (const Token& t : tokenize(s)) {
      ASSERT_LE(t.offset + t.text.size(), s.size()) << s;
      EXPECT_EQ(s.substr(t.offset, t.text.size()), t.text) << s;
      EXPECT_FALSE(t.text.empty()) << s;
    }
  }
}

// --- Words ----------------------------------------------------------------------

TEST(Tokenizer, WordsInAnyScriptStayWhole) {
  EXPECT_EQ(texts("caf\u00E9 na\u00EFve"), (V{"caf\u00E9", "na\u00EFve"}));     // Latin, accented
  EXPECT_EQ(texts("\u041F\u0440\u0438\u0432\u0435\u0442, \u043C\u0438\u0440"),  // Cyrillic
            (V{"\u041F\u0440\u0438\u0432\u0435\u0442", ",", "\u043C\u0438\u0440"}));
  EXPECT_EQ(texts("\u03BB\u03CC\u03B3\u03BF\u03C2 \u03BA\u03B1\u03B9"),  // Greek
            (V{"\u03BB\u03CC\u03B3\u03BF\u03C2", "\u03BA\u03B1\u03B9"}));
  EXPECT_EQ(texts("\u6CE8\u610F\u529B"), (V{"\u6CE8\u610F\u529B"}));  // CJK ideographs
  EXPECT_EQ(texts("\uC548\uB155 \u3053\u3093\u306B\u3061\u306F"),     // Hangul, kana
            (V{"\uC548\uB155", "\u3053\u3093\u306B\u3061\u306F"}));
  EXPECT_EQ(texts("\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627"),  // Hebrew, Arabic
            (V{"\u05E9\u05DC\u05D5\u05DD", "\u0645\u0631\u062D\u0628\u0627"}));
  EXPECT_EQ(texts("GPT2 x\u00B2 3\u00BD"), (V{"GPT2", "x\u00B2", "3\u00BD"}));  // other digits
  EXPECT_EQ(texts("\uFF21\uFF29"), (V{"\uFF21\uFF29"}));                        // fullwidth letters
}

TEST(Tokenizer, CombiningMarksStayWithTheCharacterBefore) {
  EXPECT_EQ(texts("cafe\u0301!"), (V{"cafe\u0301", "!"}));
  EXPECT_EQ(texts("n\u0303o\u0308"), (V{"n\u0303o\u0308"}));
  EXPECT_EQ(texts("\u0928\u092E\u0938\u094D\u0924\u0947"),
            (V{"\u0928\u092E\u0938\u094D\u0924\u0947"}));  // Devanagari
  EXPECT_EQ(texts("?\u0301 x"), (V{"?\u0301", "x"}));      // even on a mark
  // A combining mark with nothing before it begins the token that follows.
  EXPECT_EQ(texts("\u0301abc ?"), (V{"\u0301abc", "?"}));
  EXPECT_EQ(texts("a \u0301"), (V{"a", "\u0301"}));
}

TEST(Tokenizer, ApostrophesAndHyphensBetweenLettersStayInTheWord) {
  EXPECT_EQ(texts("don't it's self-attention"), (V{"don't", "it's", "self-attention"}));
  EXPECT_EQ(texts("it\u2019s rock'n'roll"), (V{"it\u2019s", "rock'n'roll"}));
  EXPECT_EQ(texts("co\u2010op"), (V{"co\u2010op"}));      // U+2010 HYPHEN
  EXPECT_EQ(texts("cafe\u0301's"), (V{"cafe\u0301's"}));  // a combining mark before it
  EXPECT_EQ(texts("the 90's"), (V{"the", "90's"}));
  // Not between two word characters: a token of its own.
  EXPECT_EQ(texts("'quoted' - dash"), (V{"'", "quoted", "'", "-", "dash"}));
  EXPECT_EQ(texts("\u2018hi\u2019 dogs' end- -start"),
            (V{"\u2018", "hi", "\u2019", "dogs", "'", "end", "-", "-", "start"}));
  EXPECT_EQ(texts("a--b a''b"), (V{"a", "-", "-", "b", "a", "'", "'", "b"}));
  EXPECT_EQ(texts("a-?"), (V{"a", "-", "?"}));
}

TEST(Tokenizer, NumbersKeepTheirPointAndThousandsComma) {
  EXPECT_EQ(texts("pi is 3.14, not 1,000."), (V{"pi", "is", "3.14", ",", "not", "1,000", "."}));
  EXPECT_EQ(texts("1,000,000 1.5.2"), (V{"1,000,000", "1.5.2"}));
  EXPECT_EQ(texts("1, 2 and 3."), (V{"1", ",", "2", "and", "3", "."}));
  EXPECT_EQ(texts(".5 5. a.b"), (V{".", "5", "5", ".", "a", ".", "b"}));
  EXPECT_EQ(texts("x(2)"), (V{"x", "(", "2", ")"}));
  EXPECT_EQ(texts("-3 $5 50%"), (V{"-", "3", "$", "5", "50", "%"}));
}

// --- Punctuation and symbols ------------------------------------------------------

TEST(Tokenizer, EachPunctuationMarkIsItsOwnToken) {
  EXPECT_EQ(texts("What?! Wait..."), (V{"What", "?", "!", "Wait", ".", ".", "."}));
  EXPECT_EQ(texts("a_b \"c\" [d]"), (V{"a", "_", "b", "\"", "c", "\"", "[", "d", "]"}));
  EXPECT_EQ(texts("\u00BFQu\u00E9? \u00A1S\u00ED!"),
            (V{"\u00BF", "Qu\u00E9", "?", "\u00A1", "S\u00ED", "!"}));
  EXPECT_EQ(texts("\u00ABoui\u00BB"), (V{"\u00AB", "oui", "\u00BB"}));
  EXPECT_EQ(texts("\u201Chi\u201D\u2026"), (V{"\u201C", "hi", "\u201D", "\u2026"}));
  EXPECT_EQ(texts("a\u2013b\u2014c"), (V{"a", "\u2013", "b", "\u2014", "c"}));  // en and em dashes
  EXPECT_EQ(texts("\u4F60\u597D\u3002\u300C\u6CE8\u300D\u3001"),                // CJK punctuation
            (V{"\u4F60\u597D", "\u3002", "\u300C", "\u6CE8", "\u300D", "\u3001"}));
  EXPECT_EQ(texts("\u4F60\u597D\uFF01\uFF08\u597D\uFF09"),  // fullwidth forms
            (V{"\u4F60\u597D", "\uFF01", "\uFF08", "\u597D", "\uFF09"}));
}

TEST(Tokenizer, SymbolsAreTokensOfTheirOwn) {
  EXPECT_EQ(texts("5\u20AC 20\u00B0C a\u2192b \u00A9x"),
            (V{"5", "\u20AC", "20", "\u00B0", "C", "a", "\u2192", "b", "\u00A9", "x"}));
  EXPECT_EQ(texts("\u2605\u2605"), (V{"\u2605", "\u2605"}));
}

TEST(Tokenizer, EmojiAreTokensWithWhatBelongsToThem) {
  EXPECT_EQ(texts("I \u2764\uFE0F it"), (V{"I", "\u2764\uFE0F", "it"}));  // variation selector
  EXPECT_EQ(texts("hi\U0001F600\U0001F600!"), (V{"hi", "\U0001F600", "\U0001F600", "!"}));
  EXPECT_EQ(texts("\U0001F44D\U0001F3FD\U0001F44D"), (V{"\U0001F44D\U0001F3FD", "\U0001F44D"}));  // skin tone
  const std::string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466";
  EXPECT_EQ(texts("a " + family + " b"), (V{"a", family, "b"}));
  const std::string rainbow = "\U0001F3F3\uFE0F\u200D\U0001F308";
  EXPECT_EQ(texts(rainbow + rainbow), (V{rainbow, rainbow}));
  const std::string waving = "\U0001F44B\U0001F3FB\u200D\u2642\uFE0F";  // skin tone and ZWJ together
  EXPECT_EQ(texts(waving + "?"), (V{waving, "?"}));
  // A flag is two regional indicators; two flags in a row are two tokens.
  EXPECT_EQ(texts("\U0001F1EB\U0001F1F7\U0001F1E9\U0001F1EA\U0001F1EF"),
            (V{"\U0001F1EB\U0001F1F7", "\U0001F1E9\U0001F1EA", "\U0001F1EF"}));
  // Subdivision flag: tag characters follow the black flag.
  const std::string scotland = "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F";
  EXPECT_EQ(texts(scotland + "!"), (V{scotland, "!"}));
  EXPECT_EQ(texts("#\uFE0F\u20E3"), (V{"#\uFE0F\u20E3"}));  // keycap
  // A skin tone with no emoji before it is an emoji of its own.
  EXPECT_EQ(texts("a\U0001F3FD"), (V{"a", "\U0001F3FD"}));
  EXPECT_EQ(texts("\U0001FAE0 \U0001F9D1\u200D\U0001F4BB"), (V{"\U0001FAE0", "\U0001F9D1\u200D\U0001F4BB"}));
}

// --- White space --------------------------------------------------------------------

TEST(Tokenizer, WhiteSpaceOfAnyKindSeparates) {
  EXPECT_EQ(texts("a\tb\nc\rd\ve\ff  g\r\n"), (V{"a", "b", "c", "d", "e", "f", "g"}));
  const char* spaces[] = {"\u00A0", "\u1680", "\u2000", "\u2005", "\u200A",
                          "\u2028", "\u2029", "\u202F", "\u205F", "\u3000"};
  for (const char* space : spaces) {
    EXPECT_EQ(texts(std::string("a") + space + "b" + space), (V{"a", "b"})) << space;
  }
}

TEST(Tokenizer, EmptyOrBlankSentenceHasNoTokens) {
  EXPECT_TRUE(tokenize("").empty());
  EXPECT_TRUE(tokenize(" \t\n\r\v\f ").empty());
  EXPECT_TRUE(tokenize("\u00A0\u3000\u2028").empty());
  EXPECT_TRUE(tokenize("\xEF\xBB\xBF").empty());
  EXPECT_TRUE(tokenize("\xEF\xBB\xBF  ").empty());
}

TEST(Tokenizer, IgnoresAByteOrderMarkAtTheStart) {
  const auto t = tokenize("\xEF\xBB\xBFhi there");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].text, "hi");
  EXPECT_EQ(t[0].offset, 3u);  // offsets stay those of the sentence as given
  EXPECT_EQ(t[1].offset, 6u);
  // Elsewhere it is an invisible format character, kept with its neighbour.
  EXPECT_EQ(texts("a\xEF\xBB\xBF b"), (V{"a\xEF\xBB\xBF", "b"}));
}

TEST(Tokenizer, InvisibleFormatCharactersAreNotWhiteSpace) {
  EXPECT_EQ(texts("a\u200Bb"), (V{"a\u200Bb"}));          // zero width space
  EXPECT_EQ(texts("\u200Fshalom"), (V{"\u200Fshalom"}));  // a direction mark begins the word
  EXPECT_EQ(texts("co\u00ADop"), (V{"co\u00ADop"}));      // soft hyphen
}

// --- Refused input ---------------------------------------------------------------------

TEST(Tokenizer, RefusesInvalidUtf8WithTheByteOffset) {
  const struct {
    std::string bytes;
    std::size_t at;
    const char* why;
  } cases[] = {
      {"ok \xFF", 3, "never a lead byte"},
      {"ok \xFE!", 3, "never a lead byte"},
      {"ok \xF5\x80\x80\x80", 3, "lead byte of code points above U+10FFFF"},
      {"\x80 stray", 0, "a continuation byte first"},
      {"caf\xC3\xA9\xA9", 5, "a continuation byte too many"},
      {"ab\xC3", 2, "two-byte sequence cut by the end"},
      {"ab\xE2\x82", 2, "three-byte sequence cut by the end"},
      {"ab\xF0\x9F\x98", 2, "four-byte sequence cut by the end"},
      {"ab\xC3z", 2, "cut by an ASCII letter"},
      {"ab\xE2\x82 x", 2, "cut by a space"},
      {"ab\xF0\x9F\xC3\xA9", 2, "cut by another lead byte"},
      {"x\xC0\xAF", 1, "overlong two-byte '/'"},
      {"x\xC1\xBF", 1, "overlong two-byte U+007F"},
      {"x\xE0\x80\xAF", 1, "overlong three-byte '/'"},
      {"x\xE0\x9F\xBF", 1, "overlong three-byte U+07FF"},
      {"x\xF0\x80\x80\xAF", 1, "overlong four-byte '/'"},
      {"x\xF0\x8F\xBF\xBF", 1, "overlong four-byte U+FFFF"},
      {"x\xED\xA0\x80", 1, "surrogate U+D800"},
      {"x\xED\xBF\xBF", 1, "surrogate U+DFFF"},
      {"x\xED\xA0\xBD\xED\xB8\x80", 1, "a surrogate pair (CESU-8)"},
      {"x\xF4\x90\x80\x80", 1, "U+110000"},
      {"x\xF7\xBF\xBF\xBF", 1, "U+1FFFFF"},
      {"x\xF8\x88\x80\x80\x80", 1, "five-byte form"},
      {"\u00E9\u00E9 \xFF", 5, "after multibyte characters"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(refusal(c.bytes), "invalid UTF-8 in the sentence at byte " + std::to_string(c.at)) << c.why;
  }
}

TEST(Tokenizer, AcceptsTheEdgesOfValidUtf8) {
  EXPECT_EQ(texts("\u00AA \u07FF \u0800 \uD7FF \uE000 \uFFFD \U00010000 \U0010FFFF").size(), 8u);
  EXPECT_EQ(texts("\xEF\xBF\xBF"), (V{"\xEF\xBF\xBF"}));          // U+FFFF, a noncharacter, is a word
  EXPECT_EQ(texts("\xF4\x8F\xBF\xBF"), (V{"\xF4\x8F\xBF\xBF"}));  // U+10FFFF
}

TEST(Tokenizer, NeverReadsPastTheEndOfTheView) {
  // The byte after the view would complete the character; the view must not see it.
  const std::string buffer = "ab\xC3\xA9";
  EXPECT_EQ(refusal(std::string_view(buffer).substr(0, 3)), "invalid UTF-8 in the sentence at byte 2");
  const std::string emoji = "\U0001F600";
  for (std::size_t n = 1; n < emoji.size(); ++n) {
    EXPECT_EQ(refusal(std::string_view(emoji).substr(0, n)), "invalid UTF-8 in the sentence at byte 0") << n;
  }
  // A view ending just before an apostrophe's next letter.
  const std::string dont = "don't";
  EXPECT_EQ(texts(std::string_view(dont).substr(0, 4)), (V{"don", "'"}));
}

TEST(Tokenizer, RefusesControlCharacters) {
  EXPECT_EQ(refusal("abc\adef"), "control character U+0007 in the sentence at byte 3");
  EXPECT_EQ(refusal(std::string("a\0b", 3)), "control character U+0000 in the sentence at byte 1");
  EXPECT_EQ(refusal("\x1B[31mred"), "control character U+001B in the sentence at byte 0");
  EXPECT_EQ(refusal("\x1F"), "control character U+001F in the sentence at byte 0");
  EXPECT_EQ(refusal("a\x7F"), "control character U+007F in the sentence at byte 1");
  EXPECT_EQ(refusal("\u00E9\xC2\x80"), "control character U+0080 in the sentence at byte 2");
  EXPECT_EQ(refusal("a b\xC2\x85"),
            "control character U+0085 in the sentence at byte 3");  // NEL is refused too
  EXPECT_EQ(refusal("a\xC2\x9F"), "control character U+009F in the sentence at byte 1");
}

// Issue 23, item 12: the embedding, override and isolate controls reorder what a
// terminal or a browser shows (U+202E makes "abc" read "cba"); the marks do not.
TEST(Tokenizer, RefusesBidirectionalControls) {
  EXPECT_EQ(refusal("a\u202Eb"), "bidirectional control U+202E (right-to-left override) in the sentence at byte 1");
  EXPECT_EQ(refusal("The \u2066dog"), "bidirectional control U+2066 (left-to-right isolate) in the sentence at byte 4");
  const char32_t all[] = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069};
  for (const char32_t cp : all) {
    std::string s = "x";
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
    EXPECT_NE(refusal(s).find("in the sentence at byte 1"), std::string::npos) << std::hex << static_cast<unsigned>(cp);
    EXPECT_THROW(check_sentence(s), DataError);
  }
  // The marks LRM, RLM and ALM stay: they belong to right-to-left text.
  EXPECT_EQ(texts("\u200Fshalom \u200E\u061C"), (V{"\u200Fshalom", "\u200E\u061C"}));
}

// The check a model run's sentence passes (check_sentence) is tokenize()'s, message for message.
TEST(Tokenizer, CheckSentenceRefusesWhatTokenizeRefuses) {
  for (const std::string& s : {std::string("a\x1B[2J"), std::string("a\0b", 3), std::string("\xC2\x85"),
                              std::string("ok \xFF"), std::string("x\u202E"), std::string("fine words")}) {
    std::string checked;
    try {
      check_sentence(s);
    } catch (const DataError& e) {
      checked = e.what();
    }
    EXPECT_EQ(checked, refusal(s)) << s;
  }
}

TEST(Tokenizer, RefusesTheFirstProblemInTheSentence) {
  EXPECT_EQ(refusal("a\a\xFF"), "control character U+0007 in the sentence at byte 1");
  EXPECT_EQ(refusal("a\xFF\a"), "invalid UTF-8 in the sentence at byte 1");
}

TEST(Tokenizer, RandomBytesAreEitherTokensOrADataError) {
  std::mt19937 rng(20240601);
  const unsigned char alphabet[] = {'a',  ' ',  '\'', '.',  '1',  0x80, 0xA9, 0xBF, 0xC3, 0xE2,
                                    0xED, 0xF0, 0xF4, 0x9F, 0x8D, 0x07, 0xEF, 0xBB, 0xFE, 0xFF};
  std::uniform_int_distribution<std::size_t> pick(0, sizeof alphabet - 1), length(0, 12);
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    for (std::size_t n = length(rng); n > 0; --n) s += static_cast<char>(alphabet[pick(rng)]);
    try {
      for (const Token& t : tokenize(s)) {
        ASSERT_LE(t.offset + t.text.size(), s.size());
        ASSERT_EQ(s.compare(t.offset, t.text.size(), t.text), 0);
      }
    } catch (const DataError&) {
    }
    display_width(s);  // must not fail on invalid bytes either
  }
}

// --- Size --------------------------------------------------------------------------------

TEST(Tokenizer, IsLinearOnAMegabyte) {
  const std::string unit = "word, don't 3.14 caf\u00E9 ";  // 5 tokens, 23 bytes, 22 columns
  std::string words;
  while (words.size() < (1u << 20)) words += unit;
  const std::size_t units = words.size() / unit.size();
  EXPECT_EQ(tokenize(words).size(), 5 * units);
  EXPECT_EQ(tokenize(std::string(1u << 20, 'a')).size(), 1u);  // one long word
  EXPECT_EQ(tokenize(std::string(1u << 20, '.')).size(), 1u << 20);
  std::string marks = "e";  // one character with a megabyte of combining marks
  while (marks.size() < (1u << 20)) marks += "\u0301";
  EXPECT_EQ(tokenize(marks).size(), 1u);
  std::string zwj = "\U0001F468";  // one very long ZWJ sequence
  while (zwj.size() < (1u << 20)) zwj += "\u200D\U0001F469";
  EXPECT_EQ(tokenize(zwj).size(), 1u);
  EXPECT_EQ(display_width(words), 22 * units);
}

// --- Display width -------------------------------------------------------------------------

TEST(DisplayWidth, AsciiIsOneColumnACharacter) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("dog"), 3u);
  EXPECT_EQ(display_width("How are you doing?"), 18u);
}

TEST(DisplayWidth, AccentedLettersAreOneColumn) {
  EXPECT_EQ(display_width("caf\u00E9"), 4u);   // precomposed
  EXPECT_EQ(display_width("cafe\u0301"), 4u);  // combining acute accent
  EXPECT_EQ(display_width("n\u0303o\u0308\u0323"), 2u);
  EXPECT_EQ(display_width("\u041C\u0438\u0440"), 3u);
}

TEST(DisplayWidth, WideCharactersAreTwoColumns) {
  EXPECT_EQ(display_width("\u732B\u304C"), 4u);             // CJK ideograph, hiragana
  EXPECT_EQ(display_width("\uC548\uB155"), 4u);             // Hangul syllables
  EXPECT_EQ(display_width("\u1100\u1161\u11A8"), 2u);       // conjoining jamo: one syllable
  EXPECT_EQ(display_width("\uFF21\uFF01"), 4u);             // fullwidth forms
  EXPECT_EQ(display_width("\u3002\u3000"), 4u);             // CJK full stop, ideographic space
  EXPECT_EQ(display_width("\U00020000"), 2u);               // CJK extension B
  EXPECT_EQ(display_width("\u6CE8\u610F attention"), 14u);  // mixed
}

TEST(DisplayWidth, EmojiAreTwoColumns) {
  EXPECT_EQ(display_width("\U0001F600"), 2u);
  EXPECT_EQ(display_width("\U0001F44D\U0001F3FD"), 2u);                        // with a skin tone
  EXPECT_EQ(display_width("\U0001F468\u200D\U0001F469\u200D\U0001F467"), 2u);  // ZWJ family
  EXPECT_EQ(display_width("\U0001F3F3\uFE0F\u200D\U0001F308"), 2u);            // rainbow flag
  EXPECT_EQ(display_width("\U0001F1EB\U0001F1F7"), 2u);                        // a flag
  EXPECT_EQ(display_width("\u2764\uFE0F"), 2u);  // U+FE0F asks for the (wide) emoji form
  EXPECT_EQ(display_width("\u2764"), 1u);        // without it, a narrow text symbol
  EXPECT_EQ(display_width("\U0001F600\U0001F600"), 4u);
}

TEST(DisplayWidth, InvisibleCharactersAreZeroColumns) {
  EXPECT_EQ(display_width("\u200D"), 0u);
  EXPECT_EQ(display_width("\uFE0F"), 0u);
  EXPECT_EQ(display_width("a\uFE0E"), 1u);
  EXPECT_EQ(display_width("a\u200Bb"), 2u);
  EXPECT_EQ(display_width("\xEF\xBB\xBFhi"), 2u);
}

// Tokens and widths follow the character data of the installed utf8proc; the
// expectations here (and the tables in docs) are Unicode 15.0's, Debian 12's.
TEST(UnicodeData, IsUnicode15) { EXPECT_STREQ(unicode_version(), "15.0.0"); }

// What unicode.cpp adds to utf8proc's properties, and what utf8proc's newer
// Unicode (15.0, where the old hand-made tables were 14.0) changes.
TEST(DisplayWidth, WhatUnicodeCppDecidesBeyondUtf8proc) {
  // U+00AD SOFT HYPHEN is a format character (Cf), but drawn: one column, inside the word.
  EXPECT_EQ(display_width("co\u00ADop"), 5u);
  EXPECT_EQ(char_class(0xAD), CharClass::word);
  // Skin tones: utf8proc classes them as symbols (Sk); to the tokenizer they are modifiers.
  EXPECT_EQ(char_class(0x1F3FD), CharClass::modifier);
  // A code point of the emoji blocks that utf8proc's Unicode does not assign yet
  // (U+1FAE9, an emoji of Unicode 16) is an emoji all the same: a symbol, 2 columns.
  EXPECT_EQ(texts("a\U0001FAE9"), (V{"a", "\U0001FAE9"}));
  EXPECT_EQ(display_width("\U0001FAE9"), 2u);
  EXPECT_EQ(display_width("\U0002A6E0"), 2u);  // unassigned in plane 2, the ideographs': wide
  // A Unicode 15 combining mark (U+0CF3 KANNADA SIGN COMBINING ANUSVARA ABOVE
  // RIGHT) belongs to its letter; the Unicode 14 tables counted it as a letter.
  EXPECT_EQ(char_class(0x0CF3), CharClass::extend);
  EXPECT_EQ(display_width("\u0C95\u0CF3"), 1u);
}

TEST(DisplayWidth, OnlyPictographsJoinedByAZeroWidthJoinerAreOneGlyph) {
  // UAX #29 (rule GB11): a pictograph, extenders, ZWJ, a pictograph.
  EXPECT_EQ(display_width("\u2764\uFE0F\u200D\U0001F525"), 2u);  // heart on fire
  // 〒 (U+3012, a wide symbol, not a pictograph) joined to another: two glyphs.
  EXPECT_EQ(display_width("\u3012\u200D\u3012"), 4u);
  EXPECT_EQ(display_width("a\u200D\U0001F600"), 3u);
}

TEST(DisplayWidth, InvalidBytesAreOneColumnEach) {
  EXPECT_EQ(display_width("a\xFF\xFE"), 3u);
  EXPECT_EQ(display_width("ab\xE2\x82"), 4u);
}

TEST(DisplayWidth, EveryTokenHasAWidth) {
  for (const Token& t : tokenize("The cat \u732B \U0001F44D\U0001F3FD caf\u00E9 \u2026")) {
    EXPECT_GT(display_width(t.text), 0u) << t.text;
  }
}

TEST(Elide, ShortTextIsLeftAlone) {
  EXPECT_EQ(elide("journey", 14), "journey");
  EXPECT_EQ(elide("", 3), "");
  EXPECT_EQ(elide("exactly-14-col", 14), "exactly-14-col");
}

TEST(Elide, LongTextIsCutToTheWidthWithAnEllipsis) {
  EXPECT_EQ(elide("self-attention", 8), "self-at…");
  EXPECT_EQ(display_width(elide("self-attention", 8)), 8u);
  EXPECT_EQ(elide("abc", 1), "…");
}

TEST(Elide, CutsOnCodePointsAndCountsColumns) {
  // Each 注 is two columns: three of them and the ellipsis take 7 ≤ 8 columns.
  EXPECT_EQ(elide("注意力注意力", 8), "注意力…");
  EXPECT_EQ(elide("caf\u00E9caf\u00E9", 5), "caf\u00E9…");
}

TEST(Elide, AHundredThousandLetterWordBecomesOneLabel) {
  const std::string word(100000, 'a');
  const std::string label = elide(word, 14);
  EXPECT_EQ(label, std::string(13, 'a') + "…");
}

// Fuzzing finding (tests/fuzz/regressions/tokenizer/elide-variation-selector-too-wide):
// U+FE0F widens the glyph before it to two columns, so the widths of the pieces
// do not add up; the label took 8 columns of 7.
TEST(Elide, AVariationSelectorCannotPushTheLabelPastItsWidth) {
  const std::string text = "+2   v\uFE0Fv";
  EXPECT_EQ(display_width(text), 8u);
  EXPECT_EQ(elide(text, 7), "+2   v…");
  for (std::size_t columns = 1; columns <= 8; ++columns) {
    EXPECT_LE(display_width(elide(text, columns)), columns) << columns;
  }
  EXPECT_LE(display_width(elide("\U0001F468\u200D\U0001F469\u200D\U0001F467 family", 3)), 3u);
}

// Fuzzing finding (tests/fuzz/regressions/tokenizer/elide-quadratic-combining-marks):
// a word of zero-width combining marks was measured again for each mark, taking
// minutes for a 400 KB token; elide is one pass now. (No clock here: were it
// quadratic again, this test would run for hours and hit ctest's timeout.)
TEST(Elide, ALongRunOfCombiningMarksTakesLinearTime) {
  std::string word = "ab";
  for (int i = 0; i < 200000; ++i) word += "\u0301";
  const std::string marks = word.substr(2);
  word += "cdefghijklmnopqrstuvwxyz";
  EXPECT_EQ(elide(word, 14), "ab" + marks + "cdefghijklm…");
}

}  // namespace
}  // namespace attn
