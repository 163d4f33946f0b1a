// The built binary, run as a user runs it: stdout, stderr and exit codes.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path scratch() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / fmt::format("attn-cli-{}", ::getpid());
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

// Runs `attn-explain ARGS` through the shell, in the source data folder so that
// data/... paths work as in the README. `env` is prepended (e.g. "NO_COLOR=1").
Result run(const std::string& args, const std::string& env = "") {
  const fs::path out = scratch() / "out", err = scratch() / "err";
  const std::string cmd = fmt::format("cd '{}/..' && {} '{}' {} > '{}' 2> '{}' < /dev/null", ATTN_DATA_DIR, env,
                                      ATTN_BINARY, args, out.string(), err.string());
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// The text with every run of spaces made one space: table rows compare by their
// values, whatever the column widths.
std::string squash(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' || out.empty() || out.back() != ' ') out += c;
  return out;
}

const char* kJourney = "--embeddings data/journey.json \"Your journey starts with one step\"";

TEST(Cli, DefaultRunPrintsEveryStage) {
  const Result r = run("\"How are you doing?\"");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "How | are | you | doing | ?")) << r.out;
  EXPECT_TRUE(has(r.out, "Attention weights")) << r.out;
  EXPECT_TRUE(has(r.out, "Context vectors")) << r.out;
  EXPECT_TRUE(has(r.out, "default.json")) << r.out;
  EXPECT_EQ(r.err, "");  // every word of the example is in the default table
  EXPECT_FALSE(has(r.out, "\x1b[")) << "no escape codes into a file";
}

TEST(Cli, BooksSimplifiedAttentionToFourDecimals) {
  const Result r = run(std::string("--projection none --no-scale ") + kJourney);
  ASSERT_EQ(r.code, 0) << r.err;
  // Rows of the book's attn_scores, attn_weights and all_context_vecs (ch. 3.3.2).
  EXPECT_TRUE(has(squash(r.out), "journey 0.9544 1.4950 1.4754 0.8434 0.7070 1.0865")) << r.out;
  EXPECT_TRUE(has(squash(r.out), "journey 0.1385 0.2379 0.2333 0.1240 0.1082 0.1581")) << r.out;
  EXPECT_TRUE(has(squash(r.out), "step 0.4177 0.6503 0.5645")) << r.out;
}

TEST(Cli, BooksTrainableWeightsSeed123) {
  const Result r = run(std::string("--projection rand --seed 123 --d-out 2 ") + kJourney);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(squash(r.out), "journey 0.4306 1.4551")) << r.out;  // query_2
  EXPECT_TRUE(has(squash(r.out), "journey 0.3061 0.8210")) << r.out;  // context_vec_2
  EXPECT_TRUE(has(r.out, "torch.manual_seed(123)")) << r.out;
}

TEST(Cli, JsonPrintsOnlyTheTrace) {
  const Result r = run(std::string("--json --projection rand --d-out 2 ") + kJourney);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);  // throws (and fails) on anything else
  EXPECT_EQ(j["schema"], "attn-explain/trace@1");
  EXPECT_EQ(j["tokens"].size(), 6u);
  EXPECT_NEAR(j["heads"][0]["queries"][1][0].get<double>(), 0.4306, 5e-5);
  EXPECT_NEAR(j["output"][1][1].get<double>(), 0.8210, 5e-5);
}

TEST(Cli, TraceFileHoldsTheSameJsonNextToTheTables) {
  const fs::path file = scratch() / "trace.json";
  const Result r = run(fmt::format("--trace '{}' {}", file.string(), kJourney));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Attention scores"));
  const Result j = run(std::string("--json ") + kJourney);
  EXPECT_EQ(slurp(file), j.out);
}

TEST(Cli, FailingRunLeavesAnExistingTraceFileAlone) {
  const fs::path file = scratch() / "keep.json";
  std::ofstream(file) << "precious";
  const Result r = run(fmt::format("--trace '{}' --embeddings /nonexistent.json hello", file.string()));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(slurp(file), "precious");
}

TEST(Cli, HelpAndVersion) {
  Result r = run("--help");
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(has(r.out, "Examples:"));
  EXPECT_TRUE(has(r.out, "--projection"));
  r = run("--version");
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(has(r.out, "attn-explain 0.")) << r.out;
}

TEST(Cli, BadUsageExitsTwoWithOneErrorLine) {
  for (const char* args : {"", "--projection bogus hi", "--precision 99 hi", "--d-out 0 hi", "--oov maybe hi",
                           "--no-such-option hi", "--seed -3 hi", "--projection table --embeddings data/journey.json hi",
                           "--projection none --d-out 2 --embeddings data/journey.json hi"}) {
    const Result r = run(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("attn-explain: error: ", 0), 0u) << args << "\n" << r.err;
    EXPECT_EQ(r.out, "") << args;
  }
}

TEST(Cli, BadDataExitsOneAndNamesTheProblem) {
  const fs::path bad = scratch() / "bad.json";
  std::ofstream(bad) << "{\"dim\": 3,\n \"vectors\": {\"a\": [1, 2, 3]\n";
  const fs::path short_vec = scratch() / "short.json";
  std::ofstream(short_vec) << R"({"dim": 3, "vectors": {"dog": [1, 2]}})";
  struct Case {
    std::string args, says;
  } cases[] = {
      {"--embeddings /nonexistent.json hi", "/nonexistent.json: no such file"},
      {fmt::format("--embeddings '{}' hi", bad.string()), bad.string() + ":3:"},
      {fmt::format("--embeddings '{}' hi", short_vec.string()), "\"dog\" has 2 values, expected 3"},
      {"\"   \"", "the sentence is empty"},
      {"\"$(printf 'caf\\303')\"", "invalid UTF-8 in the sentence at byte 3"},
      {"--oov error --embeddings data/journey.json \"Your jorney\"", "\"jorney\""},
  };
  for (const Case& c : cases) {
    const Result r = run(c.args);
    EXPECT_EQ(r.code, 1) << c.args << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("attn-explain: error: ", 0), 0u) << c.args << "\n" << r.err;
    EXPECT_TRUE(has(r.err, c.says)) << c.args << "\n" << r.err;
  }
}

TEST(Cli, JsonModeWritesNothingToStdoutWhenFailing) {
  const Result r = run("--json --embeddings /nonexistent.json hi");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
}

TEST(Cli, UnknownWordsGetOneNoteOnStderr) {
  const Result r = run("--embeddings data/journey.json \"Your zebra journey zebra\"");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "note: not in data/journey.json: \"zebra\"")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  const Result e = run("--oov error --embeddings data/journey.json \"Your jorney\"");
  EXPECT_TRUE(has(e.err, "journey")) << "suggests the closest word: " << e.err;
}

TEST(Cli, WordsMayBeSeparateArgumentsOrStdin) {
  const Result a = run("--json --embeddings data/journey.json Your journey");
  const Result b = run("--json --embeddings data/journey.json \"Your journey\"");
  ASSERT_EQ(a.code, 0);
  EXPECT_EQ(a.out, b.out);
  const fs::path in = scratch() / "in.txt";
  std::ofstream(in) << "Your journey\n";
  const std::string cmd = fmt::format("cd '{}/..' && '{}' --json --embeddings data/journey.json - < '{}' > '{}'",
                                      ATTN_DATA_DIR, ATTN_BINARY, in.string(), (scratch() / "stdin.out").string());
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(slurp(scratch() / "stdin.out"), b.out);
}

TEST(Cli, FindsItsDataWhenRunFromAnywhere) {
  const fs::path out = scratch() / "anywhere.out";
  const std::string cmd =
      fmt::format("cd / && '{}' \"The dog chased the ball, and it rolled away.\" > '{}' 2>&1", ATTN_BINARY, out.string());
  EXPECT_EQ(std::system(cmd.c_str()), 0) << slurp(out);
  EXPECT_TRUE(has(slurp(out), "ball"));
}

}  // namespace

namespace {

TEST(CliChapter3, ParamsCountsTheBooksModule) {
  Result r = run("params --d-in 768 --d-out 768 --heads 12");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(squash(r.out), "total 2,360,064")) << r.out;
  r = run("params --d-in 768 --d-out 768 --heads 12 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["total"], 2360064);
  r = run("params --d-in 768 --d-out 768 --heads 5");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "divisible")) << r.err;
}

TEST(CliChapter3, OptionsOutOfRangeAreUsageErrors) {
  for (const char* args : {"--dropout 1 hi", "--dropout -0.1 hi", "--dropout nan hi", "--heads 0 hi",
                           "--projection rand --d-out 4 --heads 3 --multihead split hi", "--qkv-bias hi",
                           "--heads 2 hi", "--softmax soft hi", "--causal-method zero hi", "--dropout-seed -1 hi",
                           "params --d-in 0 --d-out 2", "params --d-out 2"}) {
    const Result r = run(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("attn-explain: error: ", 0), 0u) << args << "\n" << r.err;
    EXPECT_EQ(r.out, "") << args;
  }
}

TEST(CliChapter3, NaiveSoftmaxOverflowIsReportedAndWrittenAsNull) {
  const fs::path big = scratch() / "big.json";
  std::ofstream(big) << R"({"dim": 1, "vectors": {"big": [20], "small": [1]}})";
  const Result r = run(fmt::format("--json --projection none --no-scale --softmax naive -e '{}' big small", big.string()));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "warning: row 1: the naive softmax overflowed")) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["heads"][0]["weights"][0][0].is_null());  // inf / inf
  EXPECT_FALSE(j["warnings"].empty());
  // The stable softmax of the same scores is fine: exp(400 - 400) / ...
  const Result s = run(fmt::format("--json --projection none --no-scale -e '{}' big small", big.string()));
  EXPECT_EQ(s.err, "");
  EXPECT_EQ(nlohmann::json::parse(s.out)["heads"][0]["weights"][0][0], 1.0);
}

TEST(CliChapter3, CausalDropoutAndHeadsAppearInTablesAndTrace) {
  const Result r = run(std::string("--projection linear --seed 789 --d-out 4 --heads 2 --multihead split --causal "
                                   "--dropout 0.5 --dropout-seed 123 ") + kJourney);
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* part : {"head 1 of 2", "head 2 of 2", "Causal mask", "-inf", "Dropout mask", "Weights after dropout",
                           "Heads concatenated", "Output projection", "nn.Linear(3, 4, bias=False)"}) {
    EXPECT_TRUE(has(r.out, part)) << part;
  }
  const Result j = run(std::string("--json --projection linear --seed 789 --d-out 4 --heads 2 --multihead split --causal "
                                   "--dropout 0.5 --dropout-seed 123 ") + kJourney);
  const auto trace = nlohmann::json::parse(j.out);
  EXPECT_EQ(trace["heads"].size(), 2u);
  EXPECT_EQ(trace["config"]["head_dim"], 2);
  EXPECT_TRUE(trace["heads"][0]["masked_scores"][0][1].is_null());  // -inf above the diagonal
  EXPECT_EQ(trace["heads"][0]["weights"][0][1], 0.0);
  EXPECT_EQ(trace["out_proj"]["weight"].size(), 4u);
  EXPECT_EQ(trace["output"][0].size(), 4u);
}

}  // namespace
