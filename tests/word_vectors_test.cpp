// Word-vector files (issue 16): each format, the lookup of a capitalised word
// in a lower-case file, the early stop, every error with its line, and values
// read exactly. Every file here is written by the test, from float32 values it
// chose (written as their shortest decimals, or as their bytes).
#include "attn/word_vectors.hpp"

#include <bit>
#include <cstring>
#include <limits>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "attn/util/error.hpp"

namespace attn {
namespace {

VectorRequest wanting(std::vector<std::string> words, VectorFormat format = VectorFormat::automatic) {
  return VectorRequest{std::move(words), format, {}};
}

EmbeddingTable parse(const std::string& bytes, std::vector<std::string> words,
                     VectorFormat format = VectorFormat::automatic) {
  return parse_word_vectors(bytes, "v.txt", wanting(std::move(words), format));
}

std::string error_of(const std::string& bytes, std::vector<std::string> words,
                     VectorFormat format = VectorFormat::automatic) {
  try {
    parse(bytes, std::move(words), format);
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no error)";
}

// A row of text: the word, then each value as the shortest decimal that reads back to it.
std::string text_row(const std::string& word, const std::vector<float>& values) {
  std::string row = word;
  for (float v : values) row += fmt::format(" {}", v);
  return row + "\n";
}

// A word2vec binary record: the word, a space, the floats' little-endian bytes, '\n'.
std::string binary_record(const std::string& word, const std::vector<float>& values, bool newline = true) {
  std::string rec = word + " ";
  for (float v : values) {
    char bytes[4];
    std::memcpy(bytes, &v, 4);
    rec.append(bytes, 4);
  }
  return newline ? rec + "\n" : rec;
}

const std::vector<float> kOdd = {0.1f, -2.5e-7f, 3.0e38f, 1.17549435e-38f, -0.0f, 123456.79f};

TEST(WordVectors, DetectsEachFormatFromItsFirstBytes) {
  EXPECT_EQ(detect_vector_format("  {\"dim\": 1"), VectorFormat::json);
  EXPECT_EQ(detect_vector_format("[1, 2]"), VectorFormat::json);
  EXPECT_EQ(detect_vector_format("the 0.418 0.24968\n"), VectorFormat::glove);
  EXPECT_EQ(detect_vector_format("2 3\nthe 0.1 -0.2 3e-05\n"), VectorFormat::word2vec_text);
  EXPECT_EQ(detect_vector_format("2 3\r\nthe 0.1 -0.2 3e-05 \r\n"), VectorFormat::word2vec_text);
  EXPECT_EQ(detect_vector_format("2 3\n" + binary_record("the", {0.1f, 0.2f, 0.3f})), VectorFormat::word2vec_bin);
  EXPECT_EQ(detect_vector_format("2 x\nthe 1\n"), VectorFormat::glove);  // not a header
}

TEST(WordVectors, GloveValuesAreReadExactly) {
  const std::string file = text_row("the", {1, 2, 3, 4, 5, 6}) + text_row("odd", kOdd) + text_row("end", {0, 0, 0, 0, 0, 0});
  const EmbeddingTable t = parse(file, {"odd"});
  EXPECT_EQ(t.dim, 6u);
  ASSERT_EQ(t.size(), 1u);
  ASSERT_NE(t.find("odd"), nullptr);
  const std::vector<float>& v = *t.find("odd");
  for (std::size_t i = 0; i < kOdd.size(); ++i) EXPECT_EQ(std::bit_cast<std::uint32_t>(v[i]), std::bit_cast<std::uint32_t>(kOdd[i])) << i;
  EXPECT_EQ(t.source, "v.txt");
  EXPECT_FALSE(t.weights.has_value());
}

TEST(WordVectors, Word2vecTextWithHeaderCrlfAndTrailingSpaces) {
  const std::string file = "3 2\r\nthe 0.5 -1.25 \r\nYour 0.25 4\r\nstep\t8 16\r\n";
  const EmbeddingTable t = parse(file, {"Your", "step"});
  EXPECT_EQ(t.dim, 2u);
  EXPECT_EQ(*t.find("Your"), (std::vector<float>{0.25f, 4.0f}));
  EXPECT_EQ(*t.find("step"), (std::vector<float>{8.0f, 16.0f}));
  EXPECT_EQ(t.find("the"), nullptr);  // not wanted, not kept
}

TEST(WordVectors, Word2vecBinaryWithAndWithoutNewlines) {
  for (const bool newline : {true, false}) {
    const std::string file = "3 6\n" + binary_record("the", {1, 2, 3, 4, 5, 6}, newline) +
                             binary_record("odd", kOdd, newline) + binary_record("café", {6, 5, 4, 3, 2, 1}, newline);
    const EmbeddingTable t = parse(file, {"odd", "café"});
    ASSERT_EQ(t.size(), 2u) << newline;
    const std::vector<float>& v = *t.find("odd");
    for (std::size_t i = 0; i < kOdd.size(); ++i) EXPECT_EQ(std::bit_cast<std::uint32_t>(v[i]), std::bit_cast<std::uint32_t>(kOdd[i]));
    EXPECT_EQ(*t.find("café"), (std::vector<float>{6, 5, 4, 3, 2, 1}));
  }
}

// Issue 23: a byte-order mark (an editor's) is not part of the first word.
TEST(WordVectors, ByteOrderMarkIsNotPartOfTheFirstWord) {
  const std::string bom = "\xEF\xBB\xBF";
  const std::string rows = text_row("the", {1.0f, 2.0f}) + text_row("Your", {3.0f, 4.0f});
  for (const VectorFormat format : {VectorFormat::automatic, VectorFormat::glove}) {
    const EmbeddingTable glove = parse(bom + rows, {"the"}, format);
    ASSERT_NE(glove.find("the"), nullptr);
    EXPECT_EQ(*glove.find("the"), (std::vector<float>{1.0f, 2.0f}));
  }
  const EmbeddingTable word2vec = parse(bom + "2 2\n" + rows, {"the"});
  ASSERT_NE(word2vec.find("the"), nullptr);
  EXPECT_EQ(*word2vec.find("the"), (std::vector<float>{1.0f, 2.0f}));
  EXPECT_EQ(error_of(bom, {"the"}), "v.txt: the file is empty");
}

TEST(WordVectors, FormatCanBeNamed) {
  // "2 3" as GloVe: the word "2" with one value, then a row of one value.
  const EmbeddingTable t = parse("2 3\nx 4\n", {"2", "x"}, VectorFormat::glove);
  EXPECT_EQ(t.dim, 1u);
  EXPECT_EQ(*t.find("2"), std::vector<float>{3});
  EXPECT_EQ(*t.find("x"), std::vector<float>{4});
}

TEST(WordVectors, JsonGoesThroughTheTableLoader) {
  const EmbeddingTable t = parse(R"({"dim": 2, "vectors": {"a": [1, 2], "b": [3, 4]}})", {"a"});
  EXPECT_EQ(t.size(), 2u);  // a JSON table is read whole
  EXPECT_EQ(*t.find("b"), (std::vector<float>{3, 4}));
}

TEST(WordVectors, CapitalisedWordsFindTheirLowerCaseRow) {
  const EmbeddingTable t = parse(text_row("your", {1}) + text_row("journey", {2}), {"Your", "JOURNEY"});
  EXPECT_EQ(*t.find("Your"), std::vector<float>{1});
  EXPECT_EQ(*t.find("JOURNEY"), std::vector<float>{2});
}

TEST(WordVectors, ExactSpellingWinsWhenSeenBeforeTheStop) {
  // "Your" then "your": the exact row comes first; find() prefers it.
  EXPECT_EQ(*parse(text_row("Your", {2}) + text_row("your", {1}), {"Your"}).find("Your"), std::vector<float>{2});
  // "YOUR" (another casing) then "your": both are kept, "YOUR" is the first case-insensitive match,
  // as EmbeddingTable::find() answers on a JSON table with both.
  const EmbeddingTable t = parse(text_row("YOUR", {3}) + text_row("your", {1}) + text_row("Your", {2}), {"Your"});
  EXPECT_EQ(t.size(), 2u);  // stopped at "your"
  EXPECT_EQ(*t.find("Your"), std::vector<float>{3});
  // The documented early stop: once "your" is found, a later exact "Your" is not seen.
  EXPECT_EQ(*parse(text_row("your", {1}) + text_row("Your", {2}), {"Your"}).find("Your"), std::vector<float>{1});
}

TEST(WordVectors, StopsOnceEveryWordIsFound) {
  // Line 3 is bad; a scan that stops after "b" never reads it.
  const std::string file = text_row("a", {1, 2}) + text_row("b", {3, 4}) + "\xff\xfe 1 2\n";
  EXPECT_EQ(parse(file, {"a", "b"}).size(), 2u);
  EXPECT_EQ(error_of(file, {"a", "zebra"}), "v.txt: line 3: the word \"\\xFF\\xFE\" is not valid UTF-8");
  const std::string bin = "9 1\n" + binary_record("a", {1}) + binary_record("b", {2});  // says 9, has 2
  EXPECT_EQ(parse(bin, {"b"}).size(), 1u);
  EXPECT_EQ(error_of(bin, {"zebra"}), "v.txt: the header says 9 words, the file ends after 2");
}

// A long sentence (3,000 different words, some capitalised): every one found, the scan
// stopping at the last of them, before a bad line.
TEST(WordVectors, ManyWordsEachFoundOnce) {
  std::string file;
  std::vector<std::string> words;
  for (int i = 0; i < 3000; ++i) {
    file += text_row(fmt::format("w{}", i), {static_cast<float>(i)});
    words.push_back(i % 3 == 0 ? fmt::format("W{}", i) : fmt::format("w{}", i));
  }
  file += "\xff 1\n";
  const EmbeddingTable t = parse(file, words);
  EXPECT_EQ(t.size(), 3000u);
  for (int i = 0; i < 3000; i += 7) EXPECT_EQ(*t.find(words[static_cast<std::size_t>(i)]), std::vector<float>{static_cast<float>(i)});
}

TEST(WordVectors, DuplicateRowsKeepTheFirst) {
  const EmbeddingTable t = parse(text_row("a", {1}) + text_row("a", {2}) + text_row("c", {3}), {"a", "zebra"});
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(*t.find("a"), std::vector<float>{1});
}

TEST(WordVectors, TextErrorsNameTheFileAndLine) {
  const std::string two = text_row("a", {1, 2});
  EXPECT_EQ(error_of("", {"a"}), "v.txt: the file is empty");
  EXPECT_EQ(error_of("\n\n  \n", {"a"}), "v.txt: the file is empty");
  EXPECT_EQ(error_of(two + "b 1 2 3\n", {"b"}), "v.txt: line 2: \"b\" has 3 values, expected 2 (as on line 1)");
  EXPECT_EQ(error_of(two + "b 1 x2\n", {"b"}), "v.txt: line 2: value 1 of \"b\" is \"x2\", not a number");
  EXPECT_EQ(error_of(two + "b 1 1e39\n", {"b"}), "v.txt: line 2: value 1 of \"b\" is 1e39, not a finite float32 number");
  EXPECT_EQ(error_of(two + "b nan 1\n", {"b"}), "v.txt: line 2: value 0 of \"b\" is nan, not a finite float32 number");
  EXPECT_EQ(error_of(two + "b\n", {"zebra"}), "(no error)");  // an unwanted row is not parsed
  EXPECT_EQ(error_of(two + "b\n", {"b"}), "v.txt: line 2: \"b\" has no values, expected a word and then its numbers");
  EXPECT_EQ(error_of(two + " 1 2\n", {"b"}), "v.txt: line 2: the line starts with white space, expected a word first");
  EXPECT_EQ(error_of("a 1\n" + std::string("b\xc3\x28 1\n"), {"b"}), "v.txt: line 2: the word \"b\\xC3(\" is not valid UTF-8");
  // The first row is always read: it fixes the width.
  EXPECT_EQ(error_of("a 1 oops\n", {"zebra"}), "v.txt: line 1: value 1 of \"a\" is \"oops\", not a number");
}

TEST(WordVectors, HeaderErrors) {
  EXPECT_EQ(error_of("2 2\na 1 2\n", {"zebra"}), "v.txt: the header says 2 words, the file has 1 rows");
  EXPECT_EQ(error_of("1 2\na 1 2\nb 3 4\n", {"zebra"}), "v.txt: the header says 1 words, the file has 2 rows");
  EXPECT_EQ(error_of("2 3\na 1 2\n", {"zebra"}), "v.txt: line 2: \"a\" has 2 values, expected 3 (the header's dim)");
  EXPECT_EQ(error_of("2 0\na 1\n", {"a"}), "v.txt: line 1: the header's dim is 0, expected a whole number from 1 to 4096");
  EXPECT_EQ(error_of("0 2\na 1 2\n", {"a"}), "v.txt: line 1: the header's count is 0, expected at least one word");
  EXPECT_EQ(error_of("words\na 1\n", {"a"}, VectorFormat::word2vec_text),
            "v.txt: line 1: the header \"words\" is not two whole numbers \"count dim\"");
}

TEST(WordVectors, BinaryErrorsNameTheFileAndWord) {
  const std::string head = "2 2\n" + binary_record("a", {1, 2});
  EXPECT_EQ(error_of(head + "b " + std::string(5, '\0'), {"b"}),
            "v.txt: word 2: \"b\" is cut short: the file ends after 5 of its 8 bytes of values");
  EXPECT_EQ(error_of(head + "bbb", {"b"}), "v.txt: word 2: cut short: the file ends before the space after the word");
  EXPECT_EQ(error_of(head + binary_record("b", {3, 4}) + "c", {"zebra"}), "v.txt: more bytes after the header's 2 words");
  EXPECT_EQ(error_of(head + binary_record("\xff", {3, 4}), {"zebra"}), "v.txt: word 2: the word \"\\xFF\" is not valid UTF-8");
  EXPECT_EQ(error_of(head + binary_record("b", {3, std::numeric_limits<float>::infinity()}), {"b"}),
            "v.txt: word 2: value 1 of \"b\" is inf, not a finite float32 number");
  EXPECT_EQ(error_of("2 2\n a", {"b"}, VectorFormat::word2vec_bin),
            "v.txt: word 1: the word is empty (a space where a word should start)");
}

// Rows that cross the 1 MiB chunks: every value read, the line numbers still right.
TEST(WordVectors, RowsAcrossChunksAndProgress) {
  std::string file;
  const int rows = 80000;  // about 3 MiB
  for (int i = 0; i < rows; ++i) file += text_row(fmt::format("w{}", i), {i * 0.5f, -1.0f * i, 1e-3f * i, 7.25f, 0.1f, 2.0f, 3.0f, 4.0f});
  const EmbeddingTable t = parse(file, {"w0", "w12345", fmt::format("w{}", rows - 1)});
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ((*t.find("w12345"))[0], 12345 * 0.5f);
  EXPECT_EQ((*t.find("w12345"))[2], 1e-3f * 12345);
  EXPECT_EQ(error_of(file + "last 1\n", {"zebra"}), "(no error)");  // not wanted: not parsed
  EXPECT_EQ(error_of(file + "last 1\n", {"last"}),
            fmt::format("v.txt: line {}: \"last\" has 1 values, expected 8 (as on line 1)", rows + 1));
  std::uint64_t calls = 0, last = 0, total = 0;
  VectorRequest r = wanting({"zebra"});
  r.progress = [&](std::uint64_t done, std::uint64_t size) {
    EXPECT_GT(done, last);
    last = done;
    total = size;
    ++calls;
  };
  parse_word_vectors(file, "v.txt", r);
  EXPECT_EQ(last, file.size());
  EXPECT_EQ(total, file.size());
  EXPECT_GE(calls, 3u);
}

TEST(WordVectors, LongLinesAreRefused) {
  std::string file = "a 1\nb";
  file += std::string(kLongestVectorLine + (2 << 20), 'x');
  file += " 1\n";
  EXPECT_EQ(error_of(file, {"zebra"}), "v.txt: line 2: longer than 16 MiB; no word vector is that long");
}

TEST(WordVectors, SentenceTokensSplitAsTheExplorerDoes) {
  EXPECT_EQ(sentence_tokens("Your journey, starts."), (std::vector<std::string>{"Your", "journey", ",", "starts", "."}));
}

// torch.manual_seed(123); torch.rand(3, 2): the book's W_query (section 3.4.1, printed to 4 places).
TEST(WordVectors, TableWeightsAreTheRunsWeights) {
  const TableWeights w = draw_table_weights(Projection::rand, 3, 2, 123);
  const float book[3][2] = {{0.2961f, 0.5166f}, {0.2517f, 0.6886f}, {0.0740f, 0.8665f}};
  ASSERT_EQ(w.W_query.rows, 3u);
  ASSERT_EQ(w.W_query.cols, 2u);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 2; ++c) EXPECT_NEAR(w.W_query(r, c), book[r][c], 5e-5);
  EXPECT_EQ(w.W_key.rows, 3u);
  EXPECT_EQ(w.W_value.cols, 2u);
}

}  // namespace
}  // namespace attn
