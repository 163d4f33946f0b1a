// The bad-input catalogue: every malformed file, sentence and option a user can
// give, run through the built binary as a user runs it.
//
// Each failing case must:
//   - exit with the exact code (1 bad data, 2 bad usage; never 124 = hung, never
//     a signal);
//   - print as the first stderr line `attn-explain: error: <what>`, naming the
//     specific thing (the file and line:column, the token and both lengths, the
//     option and its range, ...);
//   - print at most 3 stderr lines in all, each at most kMaxLineBytes, all of it
//     UTF-8 text without control characters (a message is read on a terminal);
//   - print nothing on stdout, and neither does the same run with --json added
//     (where --json is allowed).
// Large inputs (300,000 `[`, 100,000 objects side by side, a 100,000-token
// sentence, a 200,000-byte token, 2 MiB of stdin, a 1 MB table key) are
// generated here, not committed.
//
// A case may carry a `defect`: what the binary once did wrong there (printed when
// the case fails). Do not "fix" a failing case by weakening it.
//
// ATTN_BAD_INPUT_VALGRIND=1 runs every command under valgrind (leaks and memory
// errors fail the case; slow, for a manual sweep).
//
// This file is the runner: the cases live by area in tests/bad_input/*_cases.cpp,
// the shared runner and checks in tests/bad_input/catalogue.hpp, and the tests that
// need more than one run in tests/bad_input/*_test.cpp.
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>

#include "bad_input/catalogue.hpp"

namespace {

using namespace attn::bad_input;

std::vector<Case> cases() {
  std::vector<Case> c;
  add_file_cases(c);
  add_table_cases(c);
  add_sentence_cases(c);
  add_option_cases(c);
  add_echo_cases(c);
  add_render_cases(c);
  return c;
}

class BadInput : public ::testing::TestWithParam<Case> {};

TEST_P(BadInput, FailsCleanly) {
  const Case& c = GetParam();
  const fs::path dir = scratch() / c.name;
  for (const auto& [name, content] : c.files) spit(dir / name, content);
  const std::string note = c.defect.empty() ? "" : "\nKNOWN DEFECT (fix src/, not the test): " + c.defect;
  const Result r = run(dir, c.args, c.input);
  expect_clean_failure(r, c.code, c.says, c.args.substr(0, 200) + note);
  if (!c.json_args.empty()) {
    const Result j = run(dir, c.json_args, c.input);
    ASSERT_NE(j.code, kHung) << c.json_args.substr(0, 200) << ": hung";
    EXPECT_EQ(j.code, c.code) << c.json_args.substr(0, 200) << "\n" << excerpt(j.err);
    EXPECT_EQ(j.out, "") << c.json_args.substr(0, 200) << ": --json wrote to stdout while failing";
    EXPECT_EQ(first_line(j.err), first_line(r.err)) << "the same error with and without --json";
  }
}

INSTANTIATE_TEST_SUITE_P(Catalogue, BadInput, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

}  // namespace
