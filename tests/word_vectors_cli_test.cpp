// Word-vector files through the binary (issue 16): -e on GloVe, word2vec text
// and binary files that the test writes; the numbers equal those of a JSON
// table holding the same vectors (the JSON path is checked against PyTorch by
// the oracle); `table extract` gives a table whose --projection table run is
// the file's --projection rand|linear run; --format; the error lines.
#include <cstring>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_binary.hpp"

namespace attn::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Result run(const std::string& args) {
  const fs::path out = scratch() / "out", err = scratch() / "err";
  return run_shell(fmt::format("cd '{}' && '{}' {} > '{}' 2> '{}' < /dev/null", scratch().string(), ATTN_BINARY, args,
                               out.string(), err.string()),
                   out, err);
}

const char* kSentence = "\"Your journey starts with one step\"";
const std::vector<std::string> kWords = {"your", "journey", "starts", "with", "one", "step"};

// Vectors of width 4 with values that are not round in binary; the words among others.
std::vector<float> vector_of(std::size_t i) {
  return {0.1f * static_cast<float>(i) - 0.35f, 1.0f / static_cast<float>(i + 3), -0.017f * static_cast<float>(i * i),
          0.61803f};
}

// A GloVe file (lower case, as GloVe is) and the same vectors as our JSON table.
void write_files() {
  std::string glove;
  json table = {{"name", "same"}, {"dim", 4}, {"vectors", json::object()}};
  std::string bin = fmt::format("{} 4\n", kWords.size() + 2);
  std::string text = fmt::format("{} 4\n", kWords.size() + 2);
  std::vector<std::string> all = {"the", "of"};
  all.insert(all.end(), kWords.begin(), kWords.end());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::vector<float> v = vector_of(i);
    std::string row = all[i];
    for (float x : v) row += fmt::format(" {}", x);
    glove += row + "\n";
    text += row + " \n";
    bin += all[i] + " ";
    for (float x : v) {
      char b[4];
      std::memcpy(b, &x, 4);
      bin.append(b, 4);
    }
    bin += "\n";
    table["vectors"][all[i]] = v;
  }
  spit(scratch() / "glove.txt", glove);
  spit(scratch() / "vectors.vec", text);
  spit(scratch() / "vectors.bin", bin);
  spit(scratch() / "same.json", table.dump());
}

// The numbers of a --json trace: inputs, every head's stages, the output.
json numbers(const std::string& trace_text) {
  const json t = json::parse(trace_text);
  return json{{"inputs", t.at("inputs")}, {"heads", t.at("heads")}, {"output", t.at("output")}};
}

class WordVectorsCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { write_files(); }
};

TEST_F(WordVectorsCli, EveryFormatGivesTheJsonTablesNumbers) {
  const Result json_run = run(fmt::format("--json -e same.json --projection rand --seed 123 {}", kSentence));
  ASSERT_EQ(json_run.code, 0) << json_run.err;
  for (const char* file : {"glove.txt", "vectors.vec", "vectors.bin"}) {
    const Result r = run(fmt::format("--json -e {} --projection rand --seed 123 {}", file, kSentence));
    ASSERT_EQ(r.code, 0) << file << ": " << r.err;
    EXPECT_EQ(numbers(r.out), numbers(json_run.out)) << file;
    EXPECT_EQ(r.err, "") << file;  // "Your" found as "your": no unknown word
  }
}

TEST_F(WordVectorsCli, FormatOverridesDetection) {
  const Result r = run(fmt::format("--json -e vectors.vec --format glove {}", kSentence));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "attn-explain: error: vectors.vec: line 4: \"your\" has 4 values, expected 1 (as on line 1)\n");
  const Result bad = run(fmt::format("-e glove.txt --format word2vec {}", kSentence));
  EXPECT_EQ(bad.code, 2);
  EXPECT_TRUE(has(bad.err, "--format")) << bad.err;
}

TEST_F(WordVectorsCli, ProjectionTableIsRefusedWithAClearError) {
  const Result r = run(fmt::format("-e glove.txt --projection table {}", kSentence));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "attn-explain: error: --projection table: glove.txt has no \"weights\"")) << r.err;
}

TEST_F(WordVectorsCli, ExtractedTableRunsAsTheFileDoes) {
  for (const char* weights : {"rand", "linear"}) {
    const Result x = run(fmt::format("table extract glove.txt --words {} --weights {} --seed 7 --d-out 3 -o mine.json",
                                     kSentence, weights));
    ASSERT_EQ(x.code, 0) << x.err;
    EXPECT_EQ(x.out, "");
    const Result table = run(fmt::format("--json -e mine.json --projection table {}", kSentence));
    const Result file = run(fmt::format("--json -e glove.txt --projection {} --seed 7 --d-out 3 {}", weights, kSentence));
    ASSERT_EQ(table.code, 0) << table.err;
    ASSERT_EQ(file.code, 0) << file.err;
    EXPECT_EQ(numbers(table.out), numbers(file.out)) << weights;
  }
  const json t = json::parse(slurp(scratch() / "mine.json"));
  EXPECT_EQ(t.at("dim"), 4);
  EXPECT_EQ(t.at("vectors").size(), 6u);
  EXPECT_EQ(t.at("weights").at("W_query").size(), 4u);     // d_in rows
  EXPECT_EQ(t.at("weights").at("W_query")[0].size(), 3u);  // d_out columns
}

TEST_F(WordVectorsCli, ExtractToStdoutNamesTheMissingWords) {
  const Result r = run("table extract vectors.bin --words \"one step beyond\" --weights none");
  ASSERT_EQ(r.code, 0) << r.err;
  const json t = json::parse(r.out);
  EXPECT_EQ(t.at("vectors").size(), 2u);
  EXPECT_FALSE(t.contains("weights"));
  EXPECT_EQ(r.err, "attn-explain: note: not in vectors.bin: \"beyond\"\n");
  const Result none = run("table extract vectors.bin --words \"zebra\"");
  EXPECT_EQ(none.code, 1);
  EXPECT_EQ(none.err, "attn-explain: error: vectors.bin: none of the words is in the file\n");
}

TEST_F(WordVectorsCli, BadFilesAreOneLineErrors) {
  spit(scratch() / "ragged.txt", "one 1 2\nstep 1 2 3\n");
  const Result r = run("-e ragged.txt \"one step\"");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "attn-explain: error: ragged.txt: line 2: \"step\" has 3 values, expected 2 (as on line 1)\n");
  spit(scratch() / "empty.vec", "");
  EXPECT_EQ(run("-e empty.vec one").err, "attn-explain: error: empty.vec: the file is empty\n");
}

}  // namespace
}  // namespace attn::test
