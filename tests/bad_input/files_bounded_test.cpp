// Bad input beyond the catalogue: a table unreadable by permissions or a FIFO,
// and long tokens and large tables that must give a result in bounded time.
#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "catalogue.hpp"

namespace {

using namespace attn::bad_input;

// ---------------------------------------------------------------------------
// Unreadable by permissions: root reads anything, so this needs another user.

TEST(BadInputFiles, UnreadableByPermissions) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root: file permissions do not bind (see unreadable_file_read_fails)";
  const fs::path dir = scratch() / "unreadable";
  spit(dir / "secret.json", kTable);
  fs::permissions(dir / "secret.json", fs::perms::none);
  const Result r = run(dir, "-e secret.json hi");
  expect_clean_failure(r, 1, {"secret.json: cannot open: Permission denied"}, "chmod 000");
}

// A FIFO or a device as a table must not hang the program or read forever.
TEST(BadInputFiles, FifoAsTableDoesNotHang) {
  // A blocking open() would wait for a writer for ever; read_text_file opens it
  // without waiting, so a FIFO nobody writes to reads as empty.
  const fs::path dir = scratch() / "fifo_table";
  fs::create_directories(dir);
  ASSERT_EQ(::mkfifo((dir / "pipe.json").c_str(), 0644), 0);
  const Result r = run(dir, "-e ./pipe.json hi", std::nullopt, "", 5);
  expect_clean_failure(r, 1, {"pipe.json"}, "-e FIFO");
}

// ---------------------------------------------------------------------------
// Long tokens and large tables: a result in bounded time, labels elided.

TEST(BadInputBounded, A200000ByteTokenGivesAResult) {
  const fs::path dir = scratch() / "long_token";
  const std::string token(200000, 'x');
  const Result r = run(dir, "-", "How are you " + token + "\n");
  ASSERT_NE(r.code, kHung);
  ASSERT_EQ(r.code, 0) << excerpt(r.err);
  EXPECT_TRUE(has(r.out, "Context vectors"));
  // The tables elide the label: the embedding row starts with a cut label.
  EXPECT_TRUE(has(r.out, "  xxxxxxxxxxxxx…")) << "table labels are elided";
  // The unknown-word note elides the token too.
  EXPECT_LE(r.err.size(), 500u) << excerpt(r.err);
  // Not asserted (reported to the lead): the header lines "sentence", "tokens" and
  // "unknown" and the target of the "attends most to" list each carry the whole
  // 200,000-byte token.
  const Result j = run(dir, "--json -", "How are you " + token + "\n");
  ASSERT_EQ(j.code, 0) << excerpt(j.err);
  EXPECT_EQ(nlohmann::json::parse(j.out)["tokens"][3].get<std::string>().size(), token.size());
}

TEST(BadInputBounded, ATableWithAMegabyteTokenKeyGivesAResult) {
  const fs::path dir = scratch() / "megabyte_key";
  spit(dir / "big_key.json",
       fmt::format(R"({{"dim": 2, "vectors": {{"{}": [1, 2], "hi": [3, 4], "there": [5, 6]}}}})", std::string(1000000, 'k')));
  const Result r = run(dir, "-e big_key.json hi there");
  ASSERT_NE(r.code, kHung);
  ASSERT_EQ(r.code, 0) << excerpt(r.err);
  for (const std::string& line : lines_of(r.out)) EXPECT_LE(line.size(), 200u) << excerpt(line);
  EXPECT_EQ(r.err, "");
}

TEST(BadInputBounded, OovSuggestionsDoNotQuoteAMegabyteKey) {
  // With --oov error the "did you mean" hint names the closest table words, elided
  // like table labels: a 1 MB key must not make a 1,000,000-byte hint line.
  const fs::path dir = scratch() / "megabyte_key_oov";
  spit(dir / "big_key.json",
       fmt::format(R"({{"dim": 2, "vectors": {{"{}": [1, 2], "hi": [3, 4]}}}})", std::string(1000000, 'k')));
  const Result r = run(dir, "--oov error -e big_key.json hello");
  expect_clean_failure(r, 1, {"big_key.json: not in the table: \"hello\""}, "--oov error with a 1 MB key");
}

TEST(BadInputBounded, The2048TokenLimitRunsInBoundedTime) {
  // At the largest --max-tokens the trace is about 100 MB and takes some 7 s (Release,
  // unloaded); 120 s leaves room for sanitizer builds and a busy machine.
  const Result r = run(scratch() / "max_tokens", "--json --max-tokens 2048 -", repeat("the ", 2048), "", 120);
  ASSERT_NE(r.code, kHung) << "2048 tokens took more than 120 s";
  ASSERT_EQ(r.code, 0) << excerpt(r.err);
  EXPECT_TRUE(nlohmann::json::accept(r.out)) << "the trace is one JSON document";
}

}  // namespace
