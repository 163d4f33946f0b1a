// The built binary, run as a user runs it: stdout, stderr and exit codes.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_binary.hpp"

namespace {

namespace fs = std::filesystem;
using namespace attn::test;

// Runs `attn-explain ARGS` through the shell, in the source data folder so that
// data/... paths work as in the README. `env` is prepended (e.g. "NO_COLOR=1").
Result run(const std::string& args, const std::string& env = "") {
  const fs::path out = scratch() / "out", err = scratch() / "err";
  const std::string cmd = fmt::format("cd '{}/..' && {} '{}' {} > '{}' 2> '{}' < /dev/null", ATTN_DATA_DIR, env,
                                      ATTN_BINARY, args, out.string(), err.string());
  return run_shell(cmd, out, err);
}

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
  Result r = run("params --d-in 768 --d-out 768 --heads 12 --multihead split");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(squash(r.out), "total 2,360,064")) << r.out;
  r = run("params --d-in 768 --d-out 768 --heads 12 --multihead split --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["total"], 2360064);
  r = run("params --d-in 768 --d-out 768 --heads 5 --multihead split");
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
  EXPECT_TRUE(has(r.err, "attn-explain: warning: attention weights, row 1 (\"big\"): 1 is not a number (NaN)")) << r.err;
  EXPECT_TRUE(has(r.err, "the naive softmax overflowed")) << r.err;
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

// ---- Teaching: colour, stages, explanations, stepping, focus, comparisons, lessons (issue 4) ----

namespace {

// Runs attn-explain ARGS on a pseudo-terminal (util-linux `script`), feeding `input`.
Result run_on_terminal(const std::string& args, const std::string& input, const std::string& env = "") {
  const fs::path out = scratch() / "tty-out";
  const std::string inner = fmt::format("cd '{}/..' && {} '{}' {}", ATTN_DATA_DIR, env, ATTN_BINARY, args);
  std::string quoted;  // `inner` as one single-quoted shell word
  for (char c : inner) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  const std::string cmd = fmt::format("printf '{}' | timeout 20 script -qec '{}' /dev/null > '{}' 2>&1", input, quoted,
                                      out.string());
  return run_shell(cmd, out, fs::path());  // stderr is in `out` too, as on a terminal
}

}  // namespace

TEST(CliColor, AlwaysColoursNeverAndPipesDoNot) {
  const Result always = run("--color always \"How are you doing?\"");
  ASSERT_EQ(always.code, 0) << always.err;
  EXPECT_TRUE(has(always.out, "\x1b[48;5;")) << "shaded cells";
  EXPECT_TRUE(has(always.out, "\x1b[1m")) << "bold row maxima";
  EXPECT_FALSE(has(run("--color never \"How are you doing?\"").out, "\x1b"));
  EXPECT_FALSE(has(run("\"How are you doing?\"").out, "\x1b")) << "auto into a file";
  EXPECT_EQ(run("--color sometimes x").code, 2);
}

TEST(CliColor, AutoColoursATerminalUnlessNoColor) {
  const Result tty = run_on_terminal("\"How are you doing?\"", "");
  ASSERT_EQ(tty.code, 0) << tty.out;
  EXPECT_TRUE(has(tty.out, "\x1b[48;5;")) << tty.out;
  const Result no_color = run_on_terminal("\"How are you doing?\"", "", "NO_COLOR=1");
  ASSERT_EQ(no_color.code, 0) << no_color.out;
  EXPECT_TRUE(has(no_color.out, "Context vectors"));
  EXPECT_FALSE(has(no_color.out, "\x1b[")) << no_color.out;
}

TEST(CliColor, ColouredTablesKeepTheirValuesAndAlignment) {
  // Strip the escapes: what remains is the plain table, column for column.
  std::string stripped;
  const std::string coloured = run("--color always \"The dog chased the ball, and it rolled away.\"").out;
  for (std::size_t i = 0; i < coloured.size(); ++i) {
    if (coloured[i] == '\x1b') {
      i = coloured.find('m', i);
      continue;
    }
    stripped += coloured[i];
  }
  EXPECT_EQ(stripped, run("\"The dog chased the ball, and it rolled away.\"").out);
}

TEST(CliStages, PrintsOnlyTheStagesAsked) {
  const Result r = run("--stages scores,weights \"How are you doing?\"");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "1. Attention scores")) << r.out;
  EXPECT_TRUE(has(r.out, "2. Attention weights")) << r.out;
  for (const char* hidden : {"Token embeddings", "Queries", "Keys", "Values", "Scaled scores", "Context vectors"}) {
    EXPECT_FALSE(has(r.out, hidden)) << hidden;
  }
  const Result bad = run("--stages scores,wieghts x");
  EXPECT_EQ(bad.code, 2);
  EXPECT_TRUE(has(bad.err, "\"wieghts\" is not a stage")) << bad.err;
  EXPECT_EQ(bad.out, "");
}

// An option with nothing to act on says so on stderr (exit 0), and an option
// that does act says nothing.
TEST(CliStages, OptionsWithoutEffectSaySoAndTheOthersAreQuiet) {
  const std::string s = " \"How are you doing?\"";
  const std::pair<const char*, const char*> silent[] = {
      {"--stages mask", "--stages mask: this run has no causal mask (add --causal)"},
      {"--stages dropout", "--stages dropout: this run has no dropout (add --dropout P)"},
      {"--stages heads,output", "--stages heads: this run has one head (add --heads N)"},
      {"--stages output --heads 2 --projection rand", "--stages output: only MultiHeadAttention has an output projection"},
      {"--projection none --stages params", "--stages params: with --projection none there are no weight matrices"},
      {"--explain --focus you", "--explain: its notes go under the tables' titles, and with --focus alone no table"},
      {"--seed 5", "--seed 5: nothing is drawn at random in this run (the weights come from the table"},
      {"--trace t.json --compare scale", "--trace t.json: --compare runs several traces and writes none"},
  };
  for (const auto& [args, note] : silent) {
    const Result r = run(std::string(args) + s);
    EXPECT_EQ(r.code, 0) << args << ": " << r.err;
    EXPECT_TRUE(has(r.err, std::string("attn-explain: note: ") + note)) << args << ": " << r.err;
  }
  for (const char* args : {"--stages mask --causal", "--stages dropout --dropout 0.5", "--stages heads --heads 2 --projection rand",
                           "--stages output --heads 2 --multihead split", "--stages params", "--explain --focus you --stages scores",
                           "--seed 5 --projection rand", "--seed 5 --dropout 0.5", "--seed 123"}) {
    const Result r = run(std::string(args) + s);
    EXPECT_EQ(r.code, 0) << args << ": " << r.err;
    EXPECT_EQ(r.err, "") << args;
  }
}

// An instructor's own lesson file runs by path, and --check tests its claims
// against the engine: the workshop lesson's true claim (row "the" → "sat"), then
// the same file with the claim made false.
TEST(CliLesson, ALessonFileRunsByPathAndCheckTestsItsClaims) {
  const std::string bundled = slurp(fs::path(ATTN_DATA_DIR) / "lessons" / "workshop.json");
  const fs::path mine = scratch() / "my-lesson.json";
  spit(mine, bundled);
  const Result ok = run("lesson --check '" + mine.string() + "'");
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.out, mine.string() + ": 9 steps run, 1 claim holds\n");
  const Result pages = run("lesson '" + mine.string() + "'");
  EXPECT_EQ(pages.code, 0) << pages.err;
  EXPECT_TRUE(has(pages.out, "Lesson: Three stages to the weights")) << pages.out;

  std::string wrong = bundled;
  const std::string claim = "\"attends_most_to\": \"sat\"";
  ASSERT_NE(wrong.find(claim), std::string::npos);
  wrong.replace(wrong.find(claim), claim.size(), "\"attends_most_to\": \"cat\"");
  spit(mine, wrong);
  const Result bad = run("lesson --check '" + mine.string() + "'");
  EXPECT_EQ(bad.code, 1);
  EXPECT_TRUE(has(bad.err, "my-lesson.json: step 6: \"the\" attends most to \"sat\" (")) << bad.err;
  EXPECT_TRUE(has(bad.err, "), not to \"cat\"")) << bad.err;
  EXPECT_EQ(bad.out, "");
  EXPECT_EQ(run("lesson --check").code, 2);
  EXPECT_EQ(run("lesson --check journey").code, 0);  // a bundled lesson by name

  // Issue 23, item 16: a step's "head" beyond the run's heads is refused, not read as the last.
  std::string beyond = bundled;
  const std::string step = "\"show\": [\"weights\"]";
  ASSERT_NE(beyond.find(step), std::string::npos);
  beyond.replace(beyond.find(step), step.size(), "\"run\": {\"head\": 1024}, " + step);
  spit(mine, beyond);
  const Result head = run("lesson --check '" + mine.string() + "'");
  EXPECT_EQ(head.code, 1);
  EXPECT_TRUE(has(head.err, "my-lesson.json: step ")) << head.err;
  EXPECT_TRUE(has(head.err, ": \"head\" 1024: the run has 1 head, expected 1 to 1")) << head.err;
  EXPECT_EQ(head.out, "");
}

TEST(CliExplain, EveryShownStageGetsItsNote) {
  const nlohmann::json notes = nlohmann::json::parse(slurp(fs::path(ATTN_DATA_DIR) / "explain.json"));
  const Result r = run("--explain --projection linear --causal --dropout 0.5 --heads 2 --multihead split --d-out 4 "
                       "\"How are you doing?\"");
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* stage : {"inputs", "params", "queries", "keys", "values", "scores", "scaled", "mask", "weights",
                            "dropout", "context", "heads", "output"}) {
    ASSERT_TRUE(notes["stages"].contains(stage)) << stage;
    EXPECT_TRUE(has(r.out, notes["stages"][stage][0].get<std::string>())) << stage;
  }
  EXPECT_FALSE(has(run("\"How are you doing?\"").out, notes["stages"]["scores"][0].get<std::string>()));
}

TEST(CliStep, WithoutATerminalRunsStraightThrough) {
  const Result stepped = run("--step \"How are you doing?\"");  // stdin is /dev/null
  ASSERT_EQ(stepped.code, 0) << stepped.err;
  EXPECT_EQ(stepped.out, run("\"How are you doing?\"").out);
}

TEST(CliStep, OnATerminalPausesAndQuits) {
  // Enter shows the embeddings, then q stops before the queries.
  const Result r = run_on_terminal("--step \"How are you doing?\"", "\\nq\\n");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "Enter: next")) << r.out;
  EXPECT_TRUE(has(r.out, "Token embeddings")) << r.out;
  EXPECT_FALSE(has(r.out, "Context vectors")) << r.out;
  // End of input stops the pausing and prints the rest.
  const Result eof = run_on_terminal("--step \"How are you doing?\"", "\\004");
  EXPECT_TRUE(has(eof.out, "Context vectors")) << eof.out;
}

TEST(CliFocus, SpellsOutTheBooksArithmetic) {
  const Result r = run(std::string("--projection none --no-scale --focus journey ") + kJourney);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "0.55×0.43 + 0.87×0.15 + 0.66×0.89 = 0.9544")) << r.out;
  EXPECT_TRUE(has(squash(r.out), "0.4419")) << r.out;
  EXPECT_FALSE(has(r.out, "Token embeddings")) << "tables only with --stages";
  const Result by_index = run(std::string("--projection none --no-scale --focus 2 ") + kJourney);
  EXPECT_EQ(by_index.out, r.out);
  const Result with_tables = run(std::string("--projection none --no-scale --focus 2 --stages weights ") + kJourney);
  EXPECT_TRUE(has(with_tables.out, "Attention weights")) << with_tables.out;
}

TEST(CliFocus, AMissingTokenIsAUsageErrorAndWritesNothing) {
  const fs::path trace = scratch() / "focus-trace.json";
  fs::remove(trace);
  const Result r = run(fmt::format("--focus cat --trace '{}' \"How are you doing?\"", trace.string()));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "attn-explain: error: --focus")) << r.err;
  EXPECT_TRUE(has(r.err, "cat")) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(trace));
  EXPECT_EQ(run("--focus 9 \"How are you doing?\"").code, 2);
  EXPECT_EQ(run("--focus it --json \"it\"").code, 2);
}

TEST(CliFocus, TheDocumentsClaimsShowInTheSentence) {
  const Result ball = run("--focus it \"The dog chased the ball, and it rolled away.\"");
  ASSERT_EQ(ball.code, 0) << ball.err;
  EXPECT_TRUE(has(ball.out, "\"it\" attends most to \"ball\"")) << ball.out;
  const Result dog = run("--focus it \"He fed the dog because it was hungry.\"");
  EXPECT_TRUE(has(dog.out, "\"it\" attends most to \"dog\"")) << dog.out;
}

TEST(CliCompare, ScaleAndSoftmax) {
  const Result scale = run("--compare scale \"How are you doing?\"");
  ASSERT_EQ(scale.code, 0) << scale.err;
  EXPECT_TRUE(has(scale.out, "64")) << scale.out;
  const Result softmax = run(std::string("--compare softmax --projection none --no-scale ") + kJourney);
  ASSERT_EQ(softmax.code, 0) << softmax.err;
  EXPECT_TRUE(has(squash(softmax.out), "0.1455")) << "the book's sum-normalised row";
  EXPECT_TRUE(has(softmax.out, "nan") || has(softmax.out, "inf")) << "the naive overflow example";
  EXPECT_EQ(run("--compare colour x").code, 2);
  EXPECT_EQ(run("--compare scale --focus 1 x").code, 2);
}

TEST(CliTables, BundledTablesByName) {
  const Result r = run("--projection none -e journey.json \"Your journey\"");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "journey.json"));
}

TEST(CliLesson, ListsAndRunsEveryLesson) {
  const Result list = run("lesson");
  ASSERT_EQ(list.code, 0) << list.err;
  const Result json = run("lesson --json");
  ASSERT_EQ(json.code, 0) << json.err;
  const nlohmann::json lessons = nlohmann::json::parse(json.out);
  ASSERT_GE(lessons.size(), 5u);
  for (const auto& l : lessons) {
    const std::string name = l["name"];
    EXPECT_TRUE(has(list.out, name)) << name;
    EXPECT_FALSE(l["title"].get<std::string>().empty());
    const Result ran = run("lesson " + name);
    ASSERT_EQ(ran.code, 0) << name << ": " << ran.err;
    const std::size_t steps = l["steps"];
    EXPECT_TRUE(has(ran.out, fmt::format("Step {} of {}", steps, steps))) << name;
    EXPECT_FALSE(has(ran.out, "\x1b")) << name;
    // Every "Try it" command of the lesson runs as printed.
    const nlohmann::json detail = nlohmann::json::parse(run("lesson --json " + name).out);
    for (const auto& step : detail["steps"]) {
      if (!step.contains("command")) continue;
      const std::string cmd = step["command"];
      ASSERT_EQ(cmd.rfind("attn-explain ", 0), 0u) << cmd;
      const Result again = run(cmd.substr(13));
      EXPECT_EQ(again.code, 0) << cmd << "\n" << again.err;
    }
  }
  const Result missing = run("lesson nope");
  EXPECT_EQ(missing.code, 2);
  EXPECT_TRUE(has(missing.err, "journey")) << "lists the lessons there are";
}

TEST(CliLesson, PausesOnATerminalAndQuits) {
  const Result r = run_on_terminal("lesson journey", "\\nq\\n");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(has(r.out, "Step 1 of")) << r.out;
  EXPECT_FALSE(has(r.out, "Step 2 of")) << r.out;
}

// ---- Exercises (issue 5) ----

namespace {

// Runs `attn-explain exercise ARGS` with a progress folder of its own.
Result exercise(const std::string& args) {
  return run("exercise " + args, fmt::format("XDG_STATE_HOME='{}'", (scratch() / "state").string()));
}

fs::path progress_file() { return scratch() / "state" / "attn-explain" / "progress.json"; }

std::string as_answer(const nlohmann::json& a) {
  if (a.is_string()) return fmt::format("'{}'", a.get<std::string>());
  if (!a.is_array()) return a.dump();
  std::string s;
  for (const auto& v : a) {
    if (!s.empty()) s += ", ";
    s += v.dump();
  }
  return fmt::format("'{}'", s);
}

// --width N, or $COLUMNS on a terminal (a pseudo-terminal made by script(1)):
// wide tables print in blocks, with one note that says so (issue 13, item 5).
TEST(CliWidth, WideTablesPrintInBlocksWithANote) {
  const std::string s = "'The dog chased the ball, and it rolled away.'";
  const Result narrow = run("--width 60 --stages weights " + s);
  EXPECT_EQ(narrow.code, 0) << narrow.err;
  EXPECT_TRUE(has(narrow.out, "columns 7–11 of 11")) << narrow.out;
  EXPECT_TRUE(has(narrow.err, "note: the widest tables do not fit 60 columns and print in blocks of columns")) << narrow.err;
  const Result wide = run("--width 0 --stages weights " + s);
  EXPECT_FALSE(has(wide.out, "columns 1–")) << wide.out;
  EXPECT_EQ(wide.err, "");
  // In a pipe, $COLUMNS is not the output's width: no blocks.
  const Result piped = run("--stages weights " + s, "COLUMNS=60");
  EXPECT_FALSE(has(piped.out, "columns 1–")) << piped.out;
  // On a terminal it is.
  const Result tty = run_shell(fmt::format("cd '{}/..' && COLUMNS=60 script -qec \"'{}' --color never --stages weights "
                                           "{}\" /dev/null > '{}' 2>&1",
                                           ATTN_DATA_DIR, ATTN_BINARY, s, (scratch() / "tty").string()),
                               scratch() / "tty", "");
  EXPECT_TRUE(has(tty.out, "columns 7–11 of 11")) << tty.out;
}

}  // namespace

TEST(CliExercise, EveryExerciseAcceptsItsSolutionAndRefusesAWrongAnswer) {
  fs::remove_all(scratch() / "state");
  const Result list = exercise("--json");
  ASSERT_EQ(list.code, 0) << list.err;
  const nlohmann::json all = nlohmann::json::parse(list.out);
  ASSERT_GE(all.size(), 15u);
  for (const auto& e : all) {
    for (const char* key : {"id", "title", "topic", "difficulty", "solved"}) ASSERT_TRUE(e.contains(key)) << key;
    EXPECT_FALSE(e["solved"].get<bool>());
    const std::string id = e["id"];
    const Result posed = exercise(id);
    ASSERT_EQ(posed.code, 0) << id << ": " << posed.err;
    EXPECT_TRUE(has(posed.out, "--answer")) << id;
    const Result solution = exercise(id + " --solution --json");
    ASSERT_EQ(solution.code, 0) << id << ": " << solution.err;
    const nlohmann::json answer = nlohmann::json::parse(solution.out)["answer"];
    std::string wrong = answer.is_string() ? "'not-a-token-here'" : answer.is_array() ? "'99, 99'" : "12345.5";
    EXPECT_EQ(exercise(id + " --answer " + wrong).code, 1) << id;
    const Result right = exercise(id + " --answer " + as_answer(answer));
    EXPECT_EQ(right.code, 0) << id << ": " << right.out << right.err;
    EXPECT_TRUE(has(right.out, "Right")) << id;
  }
  for (const auto& e : nlohmann::json::parse(exercise("--json").out)) EXPECT_TRUE(e["solved"].get<bool>()) << e["id"];
  const Result reset = exercise("--reset");
  ASSERT_EQ(reset.code, 0) << reset.err;
  for (const auto& e : nlohmann::json::parse(exercise("--json").out)) EXPECT_FALSE(e["solved"].get<bool>()) << e["id"];
}

TEST(CliExercise, TheBooksAnswersAndAUsualMistake) {
  fs::remove_all(scratch() / "state");
  EXPECT_EQ(exercise("dot-product --answer 0.9544").code, 0);  // x(2)·x(1), Raschka ch. 3.3.1
  EXPECT_EQ(exercise("context-vector --answer '[0.4419 0.6515 0.5683]'").code, 0);
  EXPECT_EQ(exercise("gpt2-parameters --answer 2,360,064").code, 0);
  // The softmax row where the exercise normalises by the sum: the nudge names the mistake.
  const Result mistake = exercise("normalise-by-sum --answer '0.1385, 0.2379, 0.2333, 0.1240, 0.1082, 0.1581' --json");
  EXPECT_EQ(mistake.code, 1);
  const nlohmann::json verdict = nlohmann::json::parse(mistake.out);
  EXPECT_FALSE(verdict["correct"].get<bool>());
  EXPECT_TRUE(verdict.contains("mistake")) << mistake.out;
  EXPECT_TRUE(has(verdict["nudge"].get<std::string>(), "sum")) << mistake.out;
}

TEST(CliExercise, HintsComeOneMoreEachTime) {
  fs::remove_all(scratch() / "state");
  const Result first = exercise("dot-product --hint");
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_TRUE(has(first.out, "Hint 1 of")) << first.out;
  EXPECT_TRUE(has(exercise("dot-product --hint").out, "Hint 2 of"));
  const nlohmann::json hint = nlohmann::json::parse(exercise("dot-product --hint --json").out);
  EXPECT_EQ(hint["number"], 3);
}

TEST(CliExercise, ACorruptProgressFileIsSetAsideNotFatal) {
  fs::remove_all(scratch() / "state");
  fs::create_directories(progress_file().parent_path());
  std::ofstream(progress_file()) << "{\"version\": 1, \"exercises\": {\"dot-product\": ";  // cut short
  const Result r = exercise("");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "note")) << r.err;
  EXPECT_TRUE(fs::exists(progress_file().string() + ".corrupt"));
  EXPECT_EQ(exercise("dot-product --answer 0.9544").code, 0);
  EXPECT_TRUE(nlohmann::json::parse(slurp(progress_file()))["exercises"]["dot-product"]["solved"].get<bool>());
}

TEST(CliExercise, UsageErrors) {
  const Result unknown = exercise("no-such-exercise");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_TRUE(has(unknown.err, "dot-product")) << "lists the ids";
  EXPECT_EQ(exercise("dot-product --answer 'zero point nine'").code, 2);
  EXPECT_EQ(exercise("--hint").code, 2);
  EXPECT_EQ(exercise("dot-product --hint --solution").code, 2);
  EXPECT_EQ(exercise("dot-product --reset").code, 2);
}

TEST(CliExercise, WithoutAHomeTheExercisesStillWork) {
  const Result r = run("exercise dot-product --answer 0.9544", "env -u HOME -u XDG_STATE_HOME");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "progress will not be kept")) << r.err;
  EXPECT_EQ(run("exercise --reset", "env -u HOME -u XDG_STATE_HOME").code, 1);
}
