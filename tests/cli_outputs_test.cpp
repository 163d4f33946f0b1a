// Issue 23 (red team), the command line's outputs and numbers, run through the
// binary: an output never replaces an input or another output; "-" is standard
// output, which then carries that output alone; a file too large for `ulimit -f`
// is an error line, not a signal; every subcommand's numbers follow the main
// command's rules; --model "", --format with --model and --version with more
// arguments are usage errors.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "run_binary.hpp"

namespace {

namespace fs = std::filesystem;
using namespace attn::test;

// Runs `attn-explain ARGS` through the shell in `dir` (created), after `before`
// (e.g. "ulimit -f 4;"), with ATTN_EXPLAIN_DATA on the source data folder.
Result run_in(const fs::path& dir, const std::string& args, const std::string& before = "") {
  fs::create_directories(dir);
  const fs::path out = scratch() / "out", err = scratch() / "err";
  const std::string cmd =
      fmt::format("cd '{}' && ({} ATTN_EXPLAIN_DATA='{}' NO_COLOR=1 '{}' {} > '{}' 2> '{}' < /dev/null)", dir.string(),
                  before, ATTN_DATA_DIR, ATTN_BINARY, args, out.string(), err.string());
  return run_shell(cmd, out, err);
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// The names in `dir`, sorted.
std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// A usage error: exit 2, one error line holding `says`, nothing on stdout.
void expect_usage_error(const Result& r, const std::string& says, const std::string& what) {
  EXPECT_EQ(r.code, 2) << what << "\n" << r.err;
  EXPECT_EQ(first_line(r.err).rfind("attn-explain: error: ", 0), 0u) << what << "\n" << r.err;
  EXPECT_TRUE(has(first_line(r.err), says)) << what << "\nexpected: " << says << "\ngot: " << r.err;
  EXPECT_TRUE(r.out.empty()) << what << ": " << r.out.size() << " bytes on stdout";
}

const char* kSentence = "'The dog chased the ball'";
const char* kGlove = "the 0.1 0.2 0.3\ndog 0.4 0.5 0.6\nball 0.7 0.8 0.9\n";

// Item 10: table extract -o onto the file it reads (by its name, another
// spelling, or a link to it) is refused before anything is read or written.
TEST(CliOutputs, TableExtractOntoItsInputIsRefused) {
  const fs::path dir = scratch() / "extract_onto_input";
  spit(dir / "g.txt", kGlove);
  fs::remove(dir / "link.txt");
  fs::create_symlink("g.txt", dir / "link.txt");
  for (const char* out : {"g.txt", "./g.txt", "link.txt"}) {
    for (const char* option : {"-o", "--output"}) {
      const Result r = run_in(dir, fmt::format("table extract g.txt --words the {} {}", option, out));
      expect_usage_error(r, fmt::format("--output {}: that is the file this run reads; it would be replaced", out),
                         fmt::format("{} {}", option, out));
      EXPECT_EQ(slurp(dir / "g.txt"), kGlove) << option << " " << out << ": the word-vector file changed";
    }
  }
  EXPECT_EQ(names_in(dir), (std::vector<std::string>{"g.txt", "link.txt"}));
}

// Item 11: --svg and --trace naming one file (with or without --model) is refused
// as --html against the others is: one would replace the other.
TEST(CliOutputs, SvgAndTraceOntoOneFileAreRefused) {
  const fs::path dir = scratch() / "svg_trace_one_file";
  fs::create_directories(dir);
  fs::remove(dir / "link.out");
  fs::create_symlink("f.out", dir / "link.out");
  for (const std::string model : {"", "--model demo "}) {
    for (const auto& [svg, trace] : {std::pair{"f.out", "f.out"}, {"./f.out", "f.out"}, {"link.out", "f.out"}}) {
      const std::string args = fmt::format("{}--svg {} --trace {} {}", model, svg, trace, kSentence);
      expect_usage_error(run_in(dir, args), fmt::format("--svg {}: that is the --trace file too; one would replace the other", svg),
                         args);
      EXPECT_FALSE(fs::exists(dir / "f.out")) << args;
    }
  }
}

// Item 14: a --trace larger than `ulimit -f` allows: the error line, exit 1, and
// no temporary file left (SIGXFSZ would end the run with 153 and leave it).
TEST(CliOutputs, TraceBeyondTheFileSizeLimitIsAnErrorLine) {
  const fs::path dir = scratch() / "trace_ulimit";
  fs::create_directories(dir);
  const Result r = run_in(dir, fmt::format("--trace t.json {}", kSentence), "ulimit -f 2;");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(first_line(r.err), "attn-explain: error: cannot write t.json: write failed: File too large") << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(names_in(dir), std::vector<std::string>{});
  // The same for stdout into a file: its own line, exit 1.
  const Result s = run_shell(fmt::format("cd '{}' && (ulimit -f 2; '{}' --json {} > big.json 2> '{}')", dir.string(),
                                         ATTN_BINARY, kSentence, (scratch() / "err").string()),
                             fs::path(), scratch() / "err");
  EXPECT_EQ(s.code, 1) << s.err;
  EXPECT_EQ(first_line(s.err), "attn-explain: error: cannot write to standard output: File too large") << s.err;
}

// Item 15: every subcommand's numbers are plain digits in range, with the main
// command's message; CLI11's own conversions ("0x10" as 16, "-1" as 2^64 - 1,
// "Could not convert") never show.
TEST(CliOutputs, EverySubcommandsNumbersFollowTheMainCommandsRules) {
  const fs::path dir = scratch() / "numbers";
  spit(dir / "g.txt", kGlove);
  ASSERT_EQ(run_in(dir, "--json --trace t.json hi").code, 0);
  struct Option {
    std::string before, option, after, range;
  };
  const std::vector<Option> options = {
      {"", "--seed", " hi", "0 to 18446744073709551615"},
      {"", "--d-out", " hi", "1 to 4096"},
      {"params --d-out 4", "--d-in", "", "1 to 1048576"},
      {"params --d-in 4", "--d-out", "", "1 to 1048576"},
      {"params --d-in 4 --d-out 4", "--heads", "", "1 to 4096"},
      {"lesson journey", "--precision", "", "0 to 9"},
      {"exercise dot-product", "--precision", "", "0 to 9"},
      {"render t.json", "--precision", "", "0 to 9"},
      {"render t.json", "--width", "", "0 to 100000"},
      {"table extract g.txt --words the", "--seed", "", "0 to 18446744073709551615"},
      {"table extract g.txt --words the", "-s", "", "0 to 18446744073709551615"},
      {"table extract g.txt --words the", "--d-out", "", "1 to 4096"},
  };
  for (const Option& o : options) {
    for (const char* value : {"-1", "0x10", "1.5", "1e2", "+3", "' 3'", "99999999999999999999999"}) {
      const std::string args = fmt::format("{} {} {}{}", o.before, o.option, value, o.after);
      const std::string shown = value[0] == '\'' ? std::string(value).substr(1, std::string(value).size() - 2) : value;
      const std::string name = o.option == "-s" ? "--seed" : o.option;
      expect_usage_error(run_in(dir, args),
                         fmt::format("{}: expected a whole number from {}, got \"{}\"", name, o.range, shown), args);
    }
  }
}

// Item 16: --model "" is refused (it ran the default table); --format is a table
// run's option; --version takes nothing more.
TEST(CliOutputs, EmptyModelFormatWithModelAndVersionWithMoreAreUsageErrors) {
  const fs::path dir = scratch() / "usage";
  expect_usage_error(run_in(dir, "--model '' hi"), "--model: expected a model's folder or name, got \"\"", "--model ''");
  expect_usage_error(run_in(dir, "--model demo --format glove hi"), "--format does not apply with --model",
                     "--model demo --format glove");
  for (const char* args : {"--version extra", "-V extra", "--version --json", "hi --version"}) {
    expect_usage_error(run_in(dir, args), "--version takes no other arguments", args);
  }
  const Result v = run_in(dir, "--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.out.rfind("attn-explain ", 0), 0u) << v.out;
}

// Item 18: "-" is standard output. The trace or picture sent there is all stdout
// carries (the tables stay off it, as with --json), whether named "-" or
// /dev/stdout; no file named "-" is written.
TEST(CliOutputs, DashIsStandardOutputAndCarriesThatOutputAlone) {
  const fs::path dir = scratch() / "dash";
  spit(dir / "g.txt", kGlove);
  const Result json = run_in(dir, fmt::format("--json {}", kSentence));
  ASSERT_EQ(json.code, 0) << json.err;
  ASSERT_EQ(run_in(dir, fmt::format("--trace t.json --svg w.svg --html p.html {}", kSentence)).code, 0);
  const std::string svg = slurp(dir / "w.svg"), html = slurp(dir / "p.html");
  ASSERT_FALSE(svg.empty());
  ASSERT_FALSE(html.empty());
  for (const char* name : {"-", "/dev/stdout"}) {
    Result r = run_in(dir, fmt::format("--trace {} {}", name, kSentence));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, json.out) << "--trace " << name;
    r = run_in(dir, fmt::format("--svg {} {}", name, kSentence));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, svg) << "--svg " << name;
    r = run_in(dir, fmt::format("--html {} {}", name, kSentence));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, html) << "--html " << name;
    r = run_in(dir, fmt::format("render t.json --svg {}", name));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, svg) << "render --svg " << name;
    // The other outputs still go to their files beside it.
    r = run_in(dir, fmt::format("--trace {} --svg w2.svg {}", name, kSentence));
    EXPECT_EQ(r.out, json.out) << "--trace " << name << " --svg w2.svg";
    EXPECT_EQ(slurp(dir / "w2.svg"), svg);
  }
  // A model run too, without the note about tables it does not print.
  const Result model_json = run_in(dir, fmt::format("--model demo --json {}", kSentence));
  ASSERT_EQ(model_json.code, 0) << model_json.err;
  const Result model = run_in(dir, fmt::format("--model demo --trace - {}", kSentence));
  EXPECT_EQ(model.code, 0) << model.err;
  EXPECT_EQ(model.out, model_json.out);
  EXPECT_EQ(model.err, "");
  const Result table = run_in(dir, "table extract g.txt --words 'the dog'");
  ASSERT_EQ(table.code, 0) << table.err;
  const Result dash = run_in(dir, "table extract g.txt --words 'the dog' -o -");
  EXPECT_EQ(dash.code, 0) << dash.err;
  EXPECT_EQ(dash.out, table.out);
  const Result lesson = run_in(dir, "lesson journey --html -");
  EXPECT_EQ(lesson.code, 0) << lesson.err;
  EXPECT_EQ(lesson.out.rfind("<!DOCTYPE html>", 0), 0u) << lesson.out.substr(0, 100);
  EXPECT_FALSE(fs::exists(dir / "-")) << "a file named \"-\" was written";
}

// Item 18: two outputs onto standard output would run into each other: refused.
TEST(CliOutputs, TwoOutputsOntoStandardOutputAreRefused) {
  const fs::path dir = scratch() / "two_to_stdout";
  fs::create_directories(dir);
  ASSERT_EQ(run_in(dir, "--json --trace t.json hi").code, 0);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--trace - --svg - hi", "--svg -: --trace writes to standard output too"},
      {"--trace /dev/stdout --html - hi", "--html -: --trace writes to standard output too"},
      {"--svg /dev/stdout --html /dev/stdout hi", "--html /dev/stdout: --svg writes to standard output too"},
      {"--json --trace - hi", "--trace -: --json writes to standard output too"},
      {"--json --svg /dev/stdout hi", "--svg /dev/stdout: --json writes to standard output too"},
      {"--model demo --trace - --svg - hi", "--svg -: --trace writes to standard output too"},
      {"render t.json --svg - --html -", "--html -: --svg writes to standard output too"},
  };
  for (const auto& [args, says] : cases) expect_usage_error(run_in(dir, args), says, args);
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"t.json"});
}

// A reader that stops early (`| head -c 10`) ends a run whose output goes to
// standard output quietly, exit 0, as with --json: no "cannot write -" error.
TEST(CliOutputs, AnOutputOnStandardOutputStopsQuietlyWhenTheReaderHasEnough) {
  const fs::path dir = scratch() / "head";
  fs::create_directories(dir);
  const fs::path out = scratch() / "out", err = scratch() / "err", code = scratch() / "code";
  for (const char* args : {"--json", "--trace -", "--html -", "--svg -", "--html /dev/stdout"}) {
    const std::string cmd = fmt::format(
        "cd '{}' && ( ATTN_EXPLAIN_DATA='{}' NO_COLOR=1 '{}' {} {} 2> '{}' < /dev/null; echo $? > '{}' ) | head -c 10 > '{}'",
        dir.string(), ATTN_DATA_DIR, ATTN_BINARY, args, kSentence, err.string(), code.string(), out.string());
    const Result r = run_shell(cmd, out, err);
    EXPECT_EQ(r.out.size(), 10u) << args;
    EXPECT_EQ(slurp(code), "0\n") << args << ": " << r.err;
    EXPECT_EQ(r.err, "") << args;
  }
}

}  // namespace
