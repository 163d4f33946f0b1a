// Output files are written whole or not at all.
#include "attn/util/atomic_file.hpp"

#include <csignal>
#include <filesystem>
#include <string>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "attn/util/error.hpp"
#include "test_util.hpp"

namespace attn {
namespace {

namespace fs = std::filesystem;

class AtomicFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("attn-atomic-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
  std::size_t temps() const {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir_)) n += e.path().filename().string().find(".tmp-") != std::string::npos;
    return n;
  }
  // Looks (a bounded number of times) until `want` temporary files exist; whether they did.
  bool wait_for_temps(std::size_t want) const {
    for (int tries = 0; tries < 200000; ++tries)
      if (temps() >= want) return true;
    return false;
  }
  // Sends `signal` to `child` and reaps it; the signal it died of, or 0 when it finished first.
  static int stop(pid_t child, int signal) {
    ::kill(child, signal);
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  }
  void expect_no_temps() const {
    for (const auto& e : fs::directory_iterator(dir_)) {
      EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << "left behind: " << e.path();
    }
  }
  fs::path dir_;
};

TEST_F(AtomicFile, WritesAndReplacesWholeFiles) {
  const fs::path p = dir_ / "trace.json";
  write_file_atomically(p, "first");
  EXPECT_EQ(test::read_file(p), "first");
  write_file_atomically(p, "second, longer");
  EXPECT_EQ(test::read_file(p), "second, longer");
  EXPECT_EQ(entries(), 1u);  // no temporary file left behind
}

TEST_F(AtomicFile, FailureLeavesNothingBehindAndNamesTheFile) {
  const fs::path p = dir_ / "missing-dir" / "trace.json";
  try {
    write_file_atomically(p, "x");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
  }
  EXPECT_EQ(entries(), 0u);
  EXPECT_THROW(write_file_atomically(dir_, "x"), DataError);  // a directory is never replaced
  EXPECT_TRUE(fs::is_directory(dir_));
}

TEST_F(AtomicFile, ALoopOfLinksIsAnErrorNamingTheFile) {
  fs::create_symlink(dir_ / "b.json", dir_ / "a.json");
  fs::create_symlink(dir_ / "a.json", dir_ / "b.json");
  try {
    write_file_atomically(dir_ / "a.json", "x");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find((dir_ / "a.json").string() + ": too many levels of symbolic links"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(entries(), 2u);  // the two links, nothing else
}

TEST_F(AtomicFile, ANameNearTheLongestAllowedWorks) {
  const fs::path p = dir_ / (std::string(250, 'x') + ".json");  // 255 bytes, the most ext4 and tmpfs allow
  write_file_atomically(p, "long name");
  EXPECT_EQ(test::read_file(p), "long name");
  EXPECT_EQ(entries(), 1u);
}

TEST_F(AtomicFile, AReplacedFileKeepsItsPermissionsAndANewOneFollowsTheUmask) {
  const fs::path kept = dir_ / "private.json";
  write_file_atomically(kept, "first");
  ASSERT_EQ(::chmod(kept.c_str(), 0600), 0);
  write_file_atomically(kept, "second");
  struct stat st {};
  ASSERT_EQ(::stat(kept.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);

  const mode_t old_mask = ::umask(027);
  write_file_atomically(dir_ / "new.json", "x");
  ::umask(old_mask);
  ASSERT_EQ(::stat((dir_ / "new.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

// `--trace /dev/stdout >> log.txt`: the descriptor is written through, appending;
// the file is neither replaced nor truncated.
TEST_F(AtomicFile, AnOpenDescriptorIsWrittenThroughNotReplaced) {
  const fs::path log = dir_ / "log.txt";
  write_file_atomically(log, "earlier line\n");
  struct stat before {};
  ASSERT_EQ(::stat(log.c_str(), &before), 0);
  const int fd = ::open(log.c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  write_file_atomically("/proc/self/fd/" + std::to_string(fd), "trace\n");
  fs::create_symlink("/dev/fd/" + std::to_string(fd), dir_ / "link-to-fd");
  write_file_atomically(dir_ / "link-to-fd", "again\n");
  ::close(fd);
  EXPECT_EQ(test::read_file(log), "earlier line\ntrace\nagain\n");
  struct stat after {};
  ASSERT_EQ(::stat(log.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);  // the same file, not one renamed over it
  EXPECT_THROW(write_file_atomically("/proc/self/fd/987654", "x"), DataError);
  EXPECT_THROW(write_file_atomically("/dev/stdin", "x"), DataError);  // never into standard input
}

// A SIGTERM (or SIGINT) while the temporary file is being written removes it.
TEST_F(AtomicFile, StoppedBySignalWhileWritingLeavesNoTemporaryFile) {
  const fs::path p = dir_ / "big.json";
  const std::string content(64u << 20, 'x');
  int stopped_mid_write = 0;
  for (int round = 0; round < 8 && stopped_mid_write < 2; ++round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      write_file_atomically(p, content);
      ::_exit(0);
    }
    // Wait until the temporary file exists, then stop the child.
    const bool seen = wait_for_temps(1);
    if (stop(child, round % 2 ? SIGINT : SIGTERM) != 0 && seen) ++stopped_mid_write;
    expect_no_temps();
    fs::remove(p);
  }
  EXPECT_GE(stopped_mid_write, 1) << "the child always finished before the signal; the test proved nothing";
}

// SIGQUIT too (issue 23, item 14): the temporary file is removed, then the signal
// ends the process as before (no core file: the child's core limit is 0).
TEST_F(AtomicFile, StoppedBySigquitWhileWritingLeavesNoTemporaryFile) {
  const fs::path p = dir_ / "big.json";
  const std::string content(64u << 20, 'x');
  int stopped_mid_write = 0;
  for (int round = 0; round < 8 && stopped_mid_write < 2; ++round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      const struct rlimit no_core {0, 0};
      ::setrlimit(RLIMIT_CORE, &no_core);
      write_file_atomically(p, content);
      ::_exit(0);
    }
    const bool seen = wait_for_temps(1);
    if (stop(child, SIGQUIT) == SIGQUIT && seen) ++stopped_mid_write;
    expect_no_temps();
    fs::remove(p);
  }
  EXPECT_GE(stopped_mid_write, 1) << "the child always finished before the signal; the test proved nothing";
}

// Several outputs of one run: each written whole beside its target, then all put in
// place; one that is never committed leaves its target as it was and no temporary file.
TEST_F(AtomicFile, StagedFilesArePutInPlaceOnlyWhenCommitted) {
  const fs::path a = dir_ / "trace.json", b = dir_ / "page.svg";
  write_file_atomically(a, "old a");
  write_file_atomically(b, "old b");
  const auto content = [](std::string text) { return [text](const ContentWriter& write) { write(text); }; };
  {
    StagedFile staged(a, content("new a"));
    EXPECT_EQ(test::read_file(a), "old a");
    EXPECT_EQ(entries(), 3u);  // a, b and a's temporary file
  }
  EXPECT_EQ(test::read_file(a), "old a");
  EXPECT_EQ(entries(), 2u);
  // As write_outputs does: the second fails to be written, so the first is never committed.
  try {
    StagedFile first(a, content("new a"));
    StagedFile second(dir_ / "missing-dir" / "page.html", content("x"));
    FAIL() << "the second file was written";
  } catch (const DataError&) {
  }
  EXPECT_EQ(test::read_file(a), "old a");
  EXPECT_EQ(entries(), 2u);
  StagedFile first(a, content("new a")), second(b, content("new b"));
  first.commit();
  second.commit();
  second.commit();  // a second commit does nothing
  EXPECT_EQ(test::read_file(a), "new a");
  EXPECT_EQ(test::read_file(b), "new b");
  EXPECT_EQ(entries(), 2u);
}

// A signal while one file is staged and a second is being written removes both
// temporary files. The child says through a pipe when it is in the middle of the
// second file, and waits there (at most 30 s) for the signal.
TEST_F(AtomicFile, StoppedBySignalWithTwoStagedFilesLeavesNoTemporaryFile) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    try {
      StagedFile first(dir_ / "trace.json", [](const ContentWriter& write) { write("a"); });
      StagedFile second(dir_ / "page.html", [&](const ContentWriter& write) {
        write("the first half");
        if (::write(fds[1], "w", 1) != 1) ::_exit(3);
        for (int i = 0; i < 300; ++i) ::usleep(100000);
      });
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(4);  // no signal came
  }
  ::close(fds[1]);
  char said = 0;
  const bool writing = ::read(fds[0], &said, 1) == 1;
  ::close(fds[0]);
  EXPECT_TRUE(writing) << "the child stopped before it wrote the second file";
  EXPECT_EQ(temps(), 2u);
  EXPECT_EQ(stop(child, SIGTERM), SIGTERM);
  expect_no_temps();
  EXPECT_EQ(entries(), 0u);  // nothing was committed
}

// A file larger than the process may write (`ulimit -f`): a DataError naming the
// file and "File too large", the temporary file removed, not death by SIGXFSZ.
TEST_F(AtomicFile, BeyondTheFileSizeLimitIsAnErrorNotASignal) {
  const fs::path p = dir_ / "big.json";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const struct rlimit small {4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &small);
    try {
      write_file_atomically(p, std::string(65536, 'x'));
    } catch (const DataError& e) {
      ::_exit(e.message() == "cannot write " + p.string() + ": write failed: File too large" ? 0 : 2);
    }
    ::_exit(3);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: another message; 3: no error";
  EXPECT_EQ(entries(), 0u) << "the temporary file was left behind";
}

}  // namespace
}  // namespace attn
