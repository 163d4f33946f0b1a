// --trace under bad conditions: written to a temporary file and renamed, so a
// failing run changes nothing and a successful one replaces the file whole.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "catalogue.hpp"

namespace {

using namespace attn::bad_input;

// ---------------------------------------------------------------------------
// --trace: written to a temporary file and renamed; a failing run changes nothing.

// The names in `dir` other than the given ones and the runner's own files.
std::vector<std::string> strays(const fs::path& dir, const std::vector<std::string>& expected) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name == ".stdout" || name == ".stderr" || name == ".stdin") continue;
    if (std::find(expected.begin(), expected.end(), name) == expected.end()) out.push_back(name);
  }
  return out;
}

TEST(BadInputTrace, FailingRunsLeaveAnExistingTraceByteIdentical) {
  const fs::path dir = scratch() / "trace_kept";
  const std::string precious = garbage() + "precious\n";  // not JSON: any rewrite shows
  spit(dir / "bad.json", "{\"dim\": 2,\n \"vectors\": {\"hi\": [1, 2],}}");
  struct Failing {
    std::string args;
    int code;
    std::optional<std::string> input;
  } failing[] = {
      {"-e bad.json hi", 1, std::nullopt},
      {"--json -e bad.json hi", 1, std::nullopt},
      {"-e missing.json hi", 1, std::nullopt},
      {"''", 1, std::nullopt},
      {"--json ''", 1, std::nullopt},
      {"--oov error 'How are you zebra'", 1, std::nullopt},
      {"-", 1, repeat("word ", 100000)},
      {"--focus cat 'How are you doing?'", 2, std::nullopt},
      {"--heads 0 'How are you doing?'", 2, std::nullopt},
      {"--multihead split --heads 4 'How are you doing?'", 2, std::nullopt},
  };
  for (const Failing& f : failing) {
    spit(dir / "trace.json", precious);
    const Result r = run(dir, "--trace trace.json " + f.args, f.input);
    expect_clean_failure(r, f.code, {}, "--trace trace.json " + f.args);
    EXPECT_EQ(slurp(dir / "trace.json"), precious) << f.args << ": the trace file changed";
    EXPECT_EQ(strays(dir, {"trace.json", "bad.json"}), std::vector<std::string>{}) << f.args << ": a file was left behind";
  }
}

// --trace, --svg and --html together: when the last cannot be written, the two
// before it are not replaced either (each is written beside its target, and all
// are put in place only when every one is written).
TEST(BadInputTrace, AnOutputThatCannotBeWrittenLeavesTheOthersAlone) {
  const fs::path dir = scratch() / "outputs_kept";
  fs::create_directories(dir / "folder");
  const std::string precious = garbage() + "precious\n";
  const std::vector<std::string> files = {"trace.json", "picture.svg", "page.html"};
  for (const char* outputs : {"--trace trace.json --svg picture.svg --html no/such/dir/page.html",
                              "--trace trace.json --svg picture.svg --html folder",
                              "--trace trace.json --svg no/such/dir/p.svg --html page.html"}) {
    for (const std::string& name : files) spit(dir / name, precious);
    const std::string args = fmt::format("{} 'How are you doing?'", outputs);
    const Result r = run(dir, args);
    expect_clean_failure(r, 1, {"cannot write"}, args);
    for (const std::string& name : files) EXPECT_EQ(slurp(dir / name), precious) << args << ": " << name << " changed";
    EXPECT_EQ(strays(dir, {"trace.json", "picture.svg", "page.html", "folder"}), std::vector<std::string>{})
        << args << ": a file was left behind";
  }
}

TEST(BadInputTrace, IntoAMissingFolderIsAnErrorNamingTheFile) {
  const fs::path dir = scratch() / "trace_missing_dir";
  for (const char* json : {"", "--json "}) {
    const Result r = run(dir, fmt::format("{}--trace no/such/dir/t.json 'How are you doing?'", json));
    expect_clean_failure(r, 1, {"cannot write no/such/dir/t.json", "No such file or directory"}, "--trace into a missing folder");
    EXPECT_FALSE(fs::exists(dir / "no"));
  }
}

TEST(BadInputTrace, OntoADirectoryIsAnErrorNamingIt) {
  const fs::path dir = scratch() / "trace_onto_dir";
  fs::create_directories(dir / "out.json");
  for (const char* json : {"", "--json "}) {
    const Result r = run(dir, fmt::format("{}--trace out.json 'How are you doing?'", json));
    expect_clean_failure(r, 1, {"cannot write out.json: it is a directory"}, "--trace onto a directory");
    EXPECT_TRUE(fs::is_directory(dir / "out.json"));
    EXPECT_TRUE(fs::is_empty(dir / "out.json"));
  }
}

TEST(BadInputTrace, ASuccessfulRunReplacesTheFileWhole) {
  const fs::path dir = scratch() / "trace_replaced";
  spit(dir / "trace.json", std::string(1 << 20, 'x'));  // longer than the new trace
  const Result r = run(dir, "--trace trace.json 'How are you doing?'");
  ASSERT_EQ(r.code, 0) << r.err;
  const Result j = run(dir, "--json 'How are you doing?'");
  ASSERT_EQ(j.code, 0) << j.err;
  EXPECT_EQ(slurp(dir / "trace.json"), j.out) << "the trace file is exactly the --json output";
  EXPECT_EQ(strays(dir, {"trace.json"}), std::vector<std::string>{});
}

TEST(BadInputTrace, AFailedStdoutAfterTheTraceLeavesAWholeFile) {
  // The trace is written before stdout; when stdout then fails, the file is either
  // as it was or a whole trace, never a mix.
  const fs::path dir = scratch() / "trace_then_full";
  spit(dir / "trace.json", "precious");
  const Result r = run(dir, "--trace trace.json 'How are you'", std::nullopt, "/dev/full");
  expect_clean_failure(r, 1, {"cannot write to standard output"}, "--trace with stdout on /dev/full", false);
  const std::string now = slurp(dir / "trace.json");
  if (now != "precious") {
    EXPECT_TRUE(nlohmann::json::accept(now)) << "a partial trace: " << excerpt(now);
  }
  EXPECT_EQ(strays(dir, {"trace.json"}), std::vector<std::string>{});
}

TEST(BadInputTrace, OntoAFifoDoesNotReplaceIt) {
  // Renaming the temporary file over a FIFO (or, as root, over /dev/null or
  // /dev/full) would replace it with a regular file: a path that exists and is
  // not a regular file is refused, and stays what it was.
  const fs::path dir = scratch() / "trace_fifo";
  fs::create_directories(dir);
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0644), 0);
  const Result r = run(dir, "--trace pipe 'How are you doing?'");
  ASSERT_NE(r.code, kHung);
  struct stat st {};
  ASSERT_EQ(::lstat((dir / "pipe").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "the FIFO was replaced by a regular file";
  if (r.code != 0) expect_clean_failure(r, 1, {"pipe"}, "--trace onto a FIFO");
  EXPECT_EQ(strays(dir, {"pipe"}), std::vector<std::string>{});
}

TEST(BadInputTrace, OntoTheTableTheRunReadsIsRefused) {
  // -e table.json --trace table.json would replace the table with the trace.
  const fs::path dir = scratch() / "trace_onto_table";
  const std::string table = "{\"dim\": 2, \"vectors\": {\"Your\": [1, 2], \"journey\": [3, 4], \"starts\": [5, 6]}}\n";
  spit(dir / "table.json", table);
  fs::remove(dir / "link.json");
  fs::create_symlink("table.json", dir / "link.json");
  for (const char* trace : {"table.json", "link.json", "./table.json"}) {
    const Result r = run(dir, fmt::format("-e table.json --trace {} 'Your journey starts'", trace));
    expect_clean_failure(r, 2, {fmt::format("--trace {}: that is the embedding table this run reads", trace)}, trace);
    EXPECT_EQ(slurp(dir / "table.json"), table) << trace << ": the table changed";
  }
  EXPECT_EQ(strays(dir, {"table.json", "link.json"}), std::vector<std::string>{});
}

TEST(BadInputTrace, DevStdoutIsWrittenThroughNotRenamedOver) {
  // `--trace /dev/stdout >> log.txt` appends to log.txt, as the shell set it up;
  // the file must not be replaced by a rename (losing what it held).
  const fs::path dir = scratch() / "trace_dev_stdout";
  fs::create_directories(dir);
  spit(dir / "log.txt", "earlier line\n");
  // (The trace alone: the tables stay off stdout when the trace goes there, issue 23, item 18.)
  const Result r = run_shell(fmt::format("cd '{}' && '{}' --trace /dev/stdout 'How are you' >> log.txt 2> err.txt",
                                         dir.string(), ATTN_BINARY),
                             fs::path(), dir / "err.txt");
  ASSERT_EQ(r.code, 0) << r.err;
  const Result j = run(dir, "--json 'How are you'");
  ASSERT_EQ(j.code, 0) << j.err;
  EXPECT_EQ(slurp(dir / "log.txt"), "earlier line\n" + j.out) << "the log lost its line or the trace";
  EXPECT_EQ(strays(dir, {"log.txt", "err.txt"}), std::vector<std::string>{});
}

}  // namespace
