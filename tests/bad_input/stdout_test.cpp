// stdout that cannot be written (a closed pipe, /dev/full), the progress
// counters at their largest, and user text on stdout escaped.
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
// stdout that cannot be written: exit 1, "cannot write to standard output".

TEST(BadInputStdout, AReaderThatStopsEarlyEndsTheRunQuietly) {
  // `| head -c 10` closes the pipe while a megabyte of trace is still coming:
  // no SIGPIPE death (141), no message, exit 0.
  const fs::path dir = scratch() / "broken_pipe";
  fs::create_directories(dir);
  std::string sentence;
  for (int i = 0; i < 200; ++i) sentence += "word ";
  for (const char* args : {"--json", "", "--trace t.json"}) {
    const Result r = run_shell(fmt::format("cd '{}' && bash -c \"set -o pipefail; '{}' {} '{}' 2> err.txt | head -c 10 > /dev/null\"",
                                           dir.string(), ATTN_BINARY, args, sentence),
                               fs::path(), dir / "err.txt");
    EXPECT_EQ(r.code, 0) << args << ": " << r.err;
    EXPECT_EQ(r.err, "") << args;
  }
  EXPECT_TRUE(nlohmann::json::accept(slurp(dir / "t.json"))) << "the trace file is whole";
}

TEST(BadInputCounters, AttemptsAtTheLargestCountStayThere) {
  // A progress file may hold any count up to INT_MAX; one more answer must not
  // overflow it (UBSan in the sanitizer phase; a negative count, progress not
  // saved, in a plain build).
  const fs::path dir = scratch() / "counters";
  const fs::path progress = scratch() / "state" / "attn-explain" / "progress.json";
  spit(progress, R"({"version": 1, "exercises": {"dot-product": {"solved": false, "hints": 0, "attempts": 2147483647}}})");
  const Result r = run(dir, "exercise dot-product --answer 0.9544");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const nlohmann::json saved = nlohmann::json::parse(slurp(progress));
  EXPECT_EQ(saved["exercises"]["dot-product"]["attempts"], 2147483647);
  EXPECT_EQ(saved["exercises"]["dot-product"]["solved"], true);
  fs::remove(progress);
}

TEST(BadInputStdout, AWrongAnswerIntoAClosedPipeStillExits1AndCounts) {
  // The verdict's exit status and the saved attempt do not depend on whether
  // anybody reads the verdict.
  const fs::path dir = scratch() / "answer_pipe";
  fs::create_directories(dir);
  const fs::path state = dir / "state";
  const Result r = run_shell(fmt::format("cd '{}' && XDG_STATE_HOME='{}' bash -c \"set -o pipefail; '{}' exercise dot-product "
                                         "--answer 0.5 2> err.txt | head -c0\"",
                                         dir.string(), state.string(), ATTN_BINARY),
                             fs::path(), dir / "err.txt");
  EXPECT_EQ(r.code, 1) << r.err;
  const nlohmann::json saved = nlohmann::json::parse(slurp(state / "attn-explain" / "progress.json"));
  EXPECT_EQ(saved["exercises"]["dot-product"]["attempts"], 1);
}

TEST(BadInputStdout, FullDeviceIsAnError) {
  for (const char* args : {"'How are you'", "--json 'How are you'", "lesson", "exercise", "exercise --json",
                           "--compare scale How"}) {
    const Result r = run(scratch() / "dev_full", args, std::nullopt, "/dev/full");
    expect_clean_failure(r, 1, {"cannot write to standard output"}, std::string(args) + " > /dev/full", false);
  }
}

TEST(BadInputStdout, FullDeviceIsAnErrorForOutputLargerThanTheBuffer) {
  // Output larger than the 4 KiB stdio buffer: fwrite() fails before fflush() is
  // reached, so checking fflush() alone would exit 0 having written nothing.
  for (const char* args : {"'How are you doing?'",                   // 4.6 KB of tables
                           "--compare scale 'How are you doing?'",   // 4.1 KB
                           "--help",                                 // 5.2 KB, through write_stdout
                           "params --d-in 768 --d-out 768 --heads 12"}) {  // not checked at all
    const Result r = run(scratch() / "dev_full", args, std::nullopt, "/dev/full");
    expect_clean_failure(r, 1, {"cannot write to standard output"}, std::string(args) + " > /dev/full", false);
  }
}

// Text from a table or a lesson file reaches stdout escaped too (issue 12, item 20):
// a table's "name" and a lesson's lines with an escape sequence or a newline.
TEST(BadInputStdout, UserTextOnStdoutIsEscaped) {
  const fs::path dir = scratch() / "echo_stdout";
  spit(dir / "named.json", R"({"name": "evil\u001b[2J\nfake line", "dim": 2, "vectors": {"hi": [1, 2], "there": [3, 4]}})");
  const Result table = run(dir, "-e named.json hi there");
  EXPECT_EQ(table.code, 0) << table.err;
  EXPECT_TRUE(has(table.out, "table       evil\\x1B[2J\\nfake line (named.json)")) << excerpt(table.out);
  EXPECT_TRUE(is_clean_text(table.out)) << excerpt(table.out);
  const Result compare = run(dir, "-e named.json --compare scale hi there");
  EXPECT_EQ(compare.code, 0) << compare.err;
  EXPECT_TRUE(is_clean_text(compare.out)) << excerpt(compare.out);

  nlohmann::json lesson = nlohmann::json::parse(slurp(fs::path(ATTN_DATA_DIR) / "lessons" / "workshop.json"));
  lesson["title"] = "Title\u001b]0;pwned\u0007";
  lesson["steps"][0]["say"] = {"line one\u001b[31m", "line\ntwo"};
  spit(dir / "my-lesson.json", lesson.dump());
  const Result replay = run(dir, "lesson ./my-lesson.json");
  EXPECT_EQ(replay.code, 0) << replay.err;
  EXPECT_TRUE(has(replay.out, "line one\\x1B[31m")) << excerpt(replay.out);
  EXPECT_TRUE(has(replay.out, "line\\ntwo")) << excerpt(replay.out);
  EXPECT_TRUE(is_clean_text(replay.out)) << excerpt(replay.out);
}

}  // namespace
