// The learner's progress file: where it lives, its round trip, and that no bad
// file (corrupt, a directory, a FIFO, half-written by a killed process) ever
// stops the program or loses more than that file.
#include "attn/teach/progress.hpp"

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "attn/util/error.hpp"
#include "test_util.hpp"

namespace attn {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Sets or unsets one environment variable for the scope, then restores it.
class ScopedEnv {
 public:
  explicit ScopedEnv(const char* name) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  void set(const std::string& value) { ::setenv(name_, value.c_str(), 1); }
  void unset() { ::unsetenv(name_); }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A fresh temporary folder per test; the progress file lives two folders down,
// as in $XDG_STATE_HOME/attn-explain/progress.json.
class ProgressFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "attn-progress-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    path_ = dir_ / "state" / "attn-explain" / "progress.json";
    corrupt_ = path_.string() + ".corrupt";
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, ec);
    fs::remove_all(dir_, ec);
  }

  void write_raw(const std::string& bytes) {
    fs::create_directories(path_.parent_path());
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << bytes;
    ASSERT_TRUE(out.flush()) << path_;
  }

  // Names in the progress file's folder.
  std::set<std::string> names() const {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(path_.parent_path())) out.insert(e.path().filename().string());
    return out;
  }

  fs::path dir_, path_, corrupt_;
};

Progress sample() {
  Progress p;
  p.exercises["dot-product"] = {true, 2, 3};
  p.exercises["softmax"] = {false, 0, 1};
  p.exercises["scale"] = {false, INT_MAX, INT_MAX};
  p.exercises["übung-ä"] = {true, 0, 0};  // UTF-8 ids round-trip
  return p;
}

// Printable ASCII, and the one non-ASCII character printable() adds: "…" where it elides.
bool printable_ascii(std::string s) {
  for (std::size_t at; (at = s.find("…")) != std::string::npos;) s.replace(at, std::string("…").size(), "...");
  for (const char c : s) {
    if (c < 0x20 || c >= 0x7f) return false;
  }
  return true;
}

// ---------------------------------------------------------------- where it lives

class ProgressPath : public ::testing::Test {
 protected:
  ScopedEnv xdg_{"XDG_STATE_HOME"};
  ScopedEnv home_{"HOME"};
};

TEST_F(ProgressPath, AbsoluteXdgStateHomeWins) {
  xdg_.set("/srv/state");
  home_.set("/home/learner");
  EXPECT_EQ(progress_path(), fs::path("/srv/state/attn-explain/progress.json"));
}

TEST_F(ProgressPath, RelativeOrEmptyXdgStateHomeIsIgnored) {
  home_.set("/home/learner");
  const fs::path fallback("/home/learner/.local/state/attn-explain/progress.json");
  xdg_.set("relative/state");
  EXPECT_EQ(progress_path(), fallback);
  xdg_.set("./state");
  EXPECT_EQ(progress_path(), fallback);
  xdg_.set("");
  EXPECT_EQ(progress_path(), fallback);
}

TEST_F(ProgressPath, UnsetXdgStateHomeUsesHome) {
  xdg_.unset();
  home_.set("/home/learner");
  EXPECT_EQ(progress_path(), fs::path("/home/learner/.local/state/attn-explain/progress.json"));
}

TEST_F(ProgressPath, NeitherUsableIsDataError) {
  xdg_.unset();
  home_.unset();
  EXPECT_THROW(progress_path(), DataError);
  home_.set("");
  EXPECT_THROW(progress_path(), DataError);
  xdg_.set("relative");
  home_.set("also/relative");
  try {
    (void)progress_path();
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("XDG_STATE_HOME"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("HOME"), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------- round trip

TEST_F(ProgressFile, RoundTripCreatesTheFolders) {
  ASSERT_FALSE(fs::exists(path_.parent_path()));
  save_progress(path_, sample());
  std::string note = "stale";
  EXPECT_EQ(load_progress(path_, note), sample());
  EXPECT_EQ(note, "");
  EXPECT_EQ(names(), std::set<std::string>{"progress.json"});  // no temporary file left behind

  // A save replaces the whole file, it does not merge.
  Progress fewer;
  fewer.exercises["attention"] = {true, 1, 1};
  save_progress(path_, fewer);
  EXPECT_EQ(load_progress(path_, note), fewer);
  EXPECT_EQ(note, "");
  save_progress(path_, Progress{});
  EXPECT_EQ(load_progress(path_, note), Progress{});
  EXPECT_EQ(note, "");
}

TEST_F(ProgressFile, WritesPrettySortedJsonEndingInNewline) {
  Progress p;
  p.exercises["zeta"] = {false, 0, 1};
  p.exercises["alpha"] = {true, 2, 3};
  save_progress(path_, p);
  EXPECT_EQ(test::read_file(path_.string()),
            "{\n"
            "  \"exercises\": {\n"
            "    \"alpha\": {\n"
            "      \"attempts\": 3,\n"
            "      \"hints\": 2,\n"
            "      \"solved\": true\n"
            "    },\n"
            "    \"zeta\": {\n"
            "      \"attempts\": 1,\n"
            "      \"hints\": 0,\n"
            "      \"solved\": false\n"
            "    }\n"
            "  },\n"
            "  \"version\": 1\n"
            "}\n");
}

TEST_F(ProgressFile, MissingFileOrFolderIsEmptyWithoutNote) {
  std::string note = "stale";
  EXPECT_EQ(load_progress(path_, note), Progress{});  // folder missing too
  EXPECT_EQ(note, "");
  fs::create_directories(path_.parent_path());
  note = "stale";
  EXPECT_EQ(load_progress(path_, note), Progress{});
  EXPECT_EQ(note, "");
  EXPECT_FALSE(fs::exists(corrupt_));
}

TEST_F(ProgressFile, ReadsAHandWrittenFileAndIgnoresUnknownKeys) {
  write_raw(R"({"version": 1, "written_by": "attn-explain 9",
               "exercises": {"dot-product": {"solved": true, "hints": 2, "attempts": 3,
                                             "last_seen": {"when": [2030, 1, 1]}},
                             "softmax": {"attempts": 0, "solved": false, "hints": 0}}})");
  Progress expected;
  expected.exercises["dot-product"] = {true, 2, 3};
  expected.exercises["softmax"] = {false, 0, 0};
  std::string note;
  EXPECT_EQ(load_progress(path_, note), expected);
  EXPECT_EQ(note, "");
  EXPECT_TRUE(fs::exists(path_));
  EXPECT_FALSE(fs::exists(corrupt_));
}

// ---------------------------------------------------------------- corrupt files

struct CorruptCase {
  const char* name;
  std::string bytes;
  const char* reason;  // a fragment the note must contain
};

std::vector<CorruptCase> corrupt_cases() {
  const std::string valid = R"({"version": 1, "exercises": {"a": {"solved": true, "hints": 0, "attempts": 1}}})";
  auto entry = [](const std::string& fields) {
    return fmt::format(R"({{"version": 1, "exercises": {{"a": {{{}}}}}}})", fields);
  };
  std::string long_token = "{\"version\": 1, \"exercises\": {\"";
  long_token += std::string(100000, 'x');
  long_token += "\xff\"";
  std::string deep_entry = entry(R"("solved": true, "hints": 0, "attempts": 1, "future": )");
  deep_entry.insert(deep_entry.size() - 3, std::string(20, '[') + std::string(20, ']'));
  return {
      {"not JSON", "this is not JSON", "malformed JSON"},
      {"binary garbage", std::string("\x00\x01\xff\xfe\x89PNG\r\n\x1a\n", 12), "a NUL byte at offset 0"},
      {"binary garbage without NUL", "\x89PNG\r\n\x1a\xff\xfe", "malformed JSON"},
      {"NUL bytes after a valid document", valid + std::string(4, '\0') + "xyz", "a NUL byte at offset"},
      {"empty file", "", "empty"},
      {"only whitespace", " \n\t\n", "malformed JSON"},
      {"cut in half", valid.substr(0, valid.size() / 2), "malformed JSON"},
      {"trailing garbage", valid + " }", "malformed JSON"},
      {"invalid UTF-8 id", R"({"version": 1, "exercises": {")" + std::string("\xc3\x28") + R"(": {}}})",
       "malformed JSON"},
      {"number beyond double", R"({"version": 1e400, "exercises": {}})", "beyond"},
      {"array document", "[1, 2]", "an array, expected an object"},
      {"string document", "\"progress\"", "a string, expected an object"},
      {"no version", R"({"exercises": {}})", "no \"version\""},
      {"version 2", R"({"version": 2, "exercises": {}})", "\"version\" is 2, expected 1"},
      {"version as text", R"({"version": "1", "exercises": {}})", "\"version\" is \"1\", expected 1"},
      {"no exercises", R"({"version": 1})", "no \"exercises\""},
      {"exercises an array", R"({"version": 1, "exercises": ["a"]})", "\"exercises\" is an array"},
      {"entry not an object", R"({"version": 1, "exercises": {"a": true}})",
       "exercise \"a\" is a boolean, expected an object"},
      {"solved as text", entry(R"("solved": "yes", "hints": 0, "attempts": 1)"), "\"solved\" of exercise \"a\" is a string"},
      {"solved as number", entry(R"("solved": 1, "hints": 0, "attempts": 1)"), "\"solved\" of exercise \"a\" is a number"},
      {"no solved", entry(R"("hints": 0, "attempts": 1)"), "exercise \"a\" has no \"solved\""},
      {"no hints", entry(R"("solved": true, "attempts": 1)"), "exercise \"a\" has no \"hints\""},
      {"no attempts", entry(R"("solved": true, "hints": 0)"), "exercise \"a\" has no \"attempts\""},
      {"negative hints", entry(R"("solved": true, "hints": -1, "attempts": 1)"), "\"hints\" of exercise \"a\" is -1"},
      {"negative attempts", entry(R"("solved": true, "hints": 0, "attempts": -5)"),
       "\"attempts\" of exercise \"a\" is -5"},
      {"fractional hints", entry(R"("solved": true, "hints": 1.5, "attempts": 1)"), "expected a whole number"},
      {"hints as text", entry(R"("solved": true, "hints": "2", "attempts": 1)"), "is a string, expected a whole number"},
      {"null attempts", entry(R"("solved": true, "hints": 0, "attempts": null)"), "is null, expected a whole number"},
      {"attempts beyond int", entry(R"("solved": true, "hints": 0, "attempts": 4294967296)"), "more than 2147483647"},
      {"duplicate id", R"({"version": 1, "exercises": {"a": {"solved": true, "hints": 0, "attempts": 1},
                                                         "a": {"solved": false, "hints": 0, "attempts": 1}}})",
       "duplicate key \"a\""},
      {"huge nesting", std::string(200000, '['), "nesting deeper than"},
      {"deep nesting inside an entry", deep_entry, "nesting deeper than"},
      {"a megabyte-long bad token", long_token, "malformed JSON"},
  };
}

TEST_F(ProgressFile, EveryKindOfCorruptFileIsMovedAsideWithANote) {
  for (const CorruptCase& c : corrupt_cases()) {
    SCOPED_TRACE(c.name);
    write_raw(c.bytes);
    std::string note;
    Progress loaded;
    ASSERT_NO_THROW(loaded = load_progress(path_, note));
    EXPECT_EQ(loaded, Progress{});
    EXPECT_NE(note.find("progress file " + path_.string() + " was unreadable ("), std::string::npos) << note;
    EXPECT_NE(note.find(c.reason), std::string::npos) << note;
    EXPECT_NE(note.find("moved it to " + corrupt_.string() + " and started afresh"), std::string::npos) << note;
    EXPECT_TRUE(printable_ascii(note)) << note;  // no raw bytes of the file reach the terminal
    EXPECT_LT(note.size(), 500u) << note;
    EXPECT_FALSE(fs::exists(path_));
    EXPECT_EQ(test::read_file(corrupt_.string()), c.bytes);  // kept, byte for byte
    // The next load starts clean, and a save works again.
    EXPECT_EQ(load_progress(path_, note), Progress{});
    EXPECT_EQ(note, "");
    save_progress(path_, sample());
    EXPECT_EQ(load_progress(path_, note), sample());
    EXPECT_EQ(note, "");
  }
}

TEST_F(ProgressFile, AFileLargerThanAnyProgressIsCorrupt) {
  write_raw("{");
  fs::resize_file(path_, (std::uintmax_t{16} << 20) + 1);  // sparse: costs no disk
  std::string note;
  EXPECT_EQ(load_progress(path_, note), Progress{});
  EXPECT_NE(note.find("16777217 bytes"), std::string::npos) << note;
  EXPECT_NE(note.find("moved it to " + corrupt_.string()), std::string::npos) << note;
  EXPECT_FALSE(fs::exists(path_));
  EXPECT_EQ(fs::file_size(corrupt_), (std::uintmax_t{16} << 20) + 1);
}

TEST_F(ProgressFile, ASecondCorruptFileReplacesTheOlderOne) {
  write_raw("first bad file");
  std::string note;
  EXPECT_EQ(load_progress(path_, note), Progress{});
  EXPECT_EQ(test::read_file(corrupt_.string()), "first bad file");
  write_raw("[\"second bad file\"]");
  EXPECT_EQ(load_progress(path_, note), Progress{});
  EXPECT_NE(note.find("moved it to " + corrupt_.string()), std::string::npos) << note;
  EXPECT_EQ(test::read_file(corrupt_.string()), "[\"second bad file\"]");
  EXPECT_EQ(names(), std::set<std::string>{"progress.json.corrupt"});
}

TEST_F(ProgressFile, ACorruptFileThatCannotBeMovedIsReportedAndReplacedAtTheNextSave) {
  fs::create_directories(fs::path(corrupt_) / "occupied");  // a non-empty folder: rename cannot replace it
  write_raw("not JSON");
  std::string note;
  Progress loaded;
  ASSERT_NO_THROW(loaded = load_progress(path_, note));
  EXPECT_EQ(loaded, Progress{});
  EXPECT_NE(note.find("progress file " + path_.string() + " was unreadable"), std::string::npos) << note;
  EXPECT_NE(note.find("could not be moved to " + corrupt_.string()), std::string::npos) << note;
  EXPECT_NE(note.find("the next save will replace it"), std::string::npos) << note;
  EXPECT_EQ(note.find("moved it to"), std::string::npos) << note;
  EXPECT_EQ(test::read_file(path_.string()), "not JSON");  // still there, as the note says
  save_progress(path_, sample());
  EXPECT_EQ(load_progress(path_, note), sample());
  EXPECT_EQ(note, "");
}

// ---------------------------------------------------------------- files that cannot be read

TEST_F(ProgressFile, ADirectoryInPlaceOfTheFileIsReportedNotThrown) {
  fs::create_directories(path_ / "inside");
  std::string note;
  Progress loaded;
  ASSERT_NO_THROW(loaded = load_progress(path_, note));
  EXPECT_EQ(loaded, Progress{});
  EXPECT_NE(note.find("progress file " + path_.string() + " could not be read (it is a directory)"),
            std::string::npos)
      << note;
  EXPECT_TRUE(fs::is_directory(path_ / "inside"));  // left alone
  EXPECT_FALSE(fs::exists(corrupt_));
  // Saving over it and resetting it fail with the file's name; the folder stays.
  try {
    save_progress(path_, sample());
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(path_.string()), std::string::npos) << e.what();
  }
  try {
    reset_progress(path_);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(path_.string()), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_directory(path_ / "inside"));
}

TEST_F(ProgressFile, AnEmptyDirectoryIsNotRemovedByReset) {
  fs::create_directories(path_);
  EXPECT_THROW(reset_progress(path_), DataError);
  EXPECT_TRUE(fs::is_directory(path_));
}

TEST_F(ProgressFile, AFifoInPlaceOfTheFileDoesNotHang) {
  fs::create_directories(path_.parent_path());
  ASSERT_EQ(::mkfifo(path_.c_str(), 0600), 0);
  // Run the load in a child: if it blocked on the FIFO, the test would hang.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string note;
    const Progress p = load_progress(path_, note);
    const bool ok = p == Progress{} && note.find("it is not a regular file") != std::string::npos;
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  for (int waited_ms = 0; ::waitpid(child, &status, WNOHANG) == 0; waited_ms += 10) {
    if (waited_ms > 5000) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      FAIL() << "load_progress blocked on a FIFO";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "wrong progress or note for a FIFO";
  EXPECT_EQ(fs::status(path_).type(), fs::file_type::fifo);  // left alone
}

TEST_F(ProgressFile, AnUnreadableFileIsReportedAndLeftAlone) {
  save_progress(path_, sample());
  fs::permissions(path_, fs::perms::none);
  if (std::ifstream(path_).is_open()) GTEST_SKIP() << "running as root: permissions do not stop reading";
  std::string note;
  Progress loaded;
  ASSERT_NO_THROW(loaded = load_progress(path_, note));
  EXPECT_EQ(loaded, Progress{});
  EXPECT_NE(note.find("progress file " + path_.string() + " could not be read (Permission denied)"),
            std::string::npos)
      << note;
  EXPECT_TRUE(fs::exists(path_));
  EXPECT_FALSE(fs::exists(corrupt_));
}

// ---------------------------------------------------------------- save failures

TEST_F(ProgressFile, SaveFailuresNameTheFileAndKeepTheOldOne) {
  // The folder cannot be created: a file is where it should be.
  const fs::path blocked = dir_ / "blocker" / "attn-explain" / "progress.json";
  fs::create_directories(dir_);
  std::ofstream(dir_ / "blocker") << "a file, not a folder";
  std::string note = "stale";
  EXPECT_EQ(load_progress(blocked, note), Progress{});  // no such file: nothing to say yet
  EXPECT_EQ(note, "");
  try {
    save_progress(blocked, sample());
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(blocked.string()), std::string::npos) << e.what();
  }

  // A negative count would make a file the next load refuses: not written.
  save_progress(path_, sample());
  const std::string before = test::read_file(path_.string());
  Progress bad;
  bad.exercises["a"] = {false, -1, 0};
  try {
    save_progress(path_, bad);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(path_.string()), std::string::npos) << e.what();
  }
  bad.exercises["a"] = {false, 0, -1};
  EXPECT_THROW(save_progress(path_, bad), DataError);
  EXPECT_EQ(test::read_file(path_.string()), before);
  EXPECT_EQ(names(), std::set<std::string>{"progress.json"});
}

// ---------------------------------------------------------------- reset

TEST_F(ProgressFile, ResetRemovesTheFileAndToleratesItsAbsence) {
  EXPECT_NO_THROW(reset_progress(path_));  // neither file nor folder yet
  save_progress(path_, sample());
  reset_progress(path_);
  EXPECT_FALSE(fs::exists(path_));
  std::string note = "stale";
  EXPECT_EQ(load_progress(path_, note), Progress{});
  EXPECT_EQ(note, "");
  EXPECT_NO_THROW(reset_progress(path_));
}

TEST_F(ProgressFile, ResetKeepsTheCorruptCopy) {
  write_raw("garbage");
  std::string note;
  (void)load_progress(path_, note);
  save_progress(path_, sample());
  reset_progress(path_);
  EXPECT_FALSE(fs::exists(path_));
  EXPECT_EQ(test::read_file(corrupt_.string()), "garbage");
}

// ---------------------------------------------------------------- crash mid-write

class ProgressCrash : public ProgressFile {};

Progress many(int n) {
  Progress p;
  for (int i = 0; i < n; ++i) p.exercises[fmt::format("exercise-{:04}", i)] = {i % 2 == 0, i % 7, i};
  return p;
}

// A child saves two contents in turn, as fast as it can, telling the parent
// through a pipe when each save starts and ends. Once the child has written
// both, the parent kills it with SIGKILL at a different point after a big save
// starts each round (0%, 3.75%, ... 146% of the time one takes, so that kills
// land inside the big save and inside the small one after it). After each kill
// the file must be one whole content.
//
// The temporary file lives only for the last few per cent of a save (most of
// the time goes to building the JSON), so 40 even steps can all miss it on a
// busy machine. Until a kill has landed there, further rounds sweep finely
// over 70% to 120% of the measured time, up to a bound.
TEST_F(ProgressCrash, ProgressSurvivesAKillMidWrite) {
  using Clock = std::chrono::steady_clock;
  const Progress big = many(1000), small = many(3);
  save_progress(path_, big);
  const std::string temp_prefix = "." + path_.filename().string() + ".tmp-";
  const int rounds = 40, max_rounds = 400;
  int saw_big = 0, saw_small = 0, kills_with_temp_left = 0;
  std::size_t temps_before = 0;
  const auto enough = [&] { return kills_with_temp_left > 0 && saw_big > 0 && saw_small > 0; };
  int round = 0;
  for (; round < max_rounds && (round < rounds || !enough()); ++round) {
    SCOPED_TRACE(fmt::format("round {}", round));
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      try {
        for (;;) {
          if (::write(fds[1], "B", 1) != 1) ::_exit(3);  // a big save starts
          save_progress(path_, big);
          if (::write(fds[1], "b", 1) != 1) ::_exit(3);  // and is done
          save_progress(path_, small);
          if (::write(fds[1], "s", 1) != 1) ::_exit(3);
        }
      } catch (...) {
        ::_exit(2);
      }
    }
    ::close(fds[1]);
    // Time one whole big save, see a small one done, then wait for the next big one to start.
    Clock::time_point big_start{};
    Clock::duration big_time{};
    bool timed = false, small_done = false, child_alive = true;
    for (;;) {
      char c;
      const ssize_t n = ::read(fds[0], &c, 1);
      if (n != 1) {
        if (n < 0 && errno == EINTR) continue;
        child_alive = false;
        break;
      }
      const auto now = Clock::now();
      if (c == 'B') {
        if (timed && small_done) break;
        big_start = now;
      } else if (c == 'b' && big_start != Clock::time_point{}) {
        big_time = now - big_start;
        timed = true;
      } else if (c == 's') {
        small_done = true;
      }
    }
    // Up to 1.5 times the measured time: a kill must also land after the big save
    // is done (while the small one is under way), or the big content is never seen
    // when the measured save happened to be the slower one (a busy machine, ASan).
    const auto delay = round < rounds ? big_time * (3 * round) / (2 * rounds)
                                      : big_time * (700 + 5 * ((round - rounds) % 100)) / 1000;
    std::this_thread::sleep_for(delay);
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ::close(fds[0]);
    ASSERT_TRUE(child_alive && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child stopped on its own: a save failed";

    std::string note;
    const Progress loaded = load_progress(path_, note);
    EXPECT_EQ(note, "") << "a killed save left a file load_progress refuses";
    EXPECT_TRUE(loaded == big || loaded == small) << "loaded " << loaded.exercises.size() << " exercises";
    saw_big += loaded == big;
    saw_small += loaded == small;
    EXPECT_FALSE(fs::exists(corrupt_));

    // Only the file itself and the temporary files of killed saves are there.
    std::size_t temps = 0;
    for (const std::string& name : names()) {
      if (name == "progress.json") continue;
      EXPECT_EQ(name.rfind(temp_prefix, 0), 0u) << "unexpected file " << name;
      ++temps;
    }
    if (temps > temps_before) ++kills_with_temp_left;
    temps_before = temps;
  }
  // The test only means something if kills did land in the middle of a save,
  // and if both contents were seen.
  RecordProperty("rounds", round);
  EXPECT_GT(kills_with_temp_left, 0) << "no kill landed inside a save in " << round << " rounds";
  EXPECT_GT(saw_small, 0) << "the small content was never seen";
  EXPECT_GT(saw_big, 0) << "the big content was never seen";

  // A half-written temporary file is never read as progress.
  fs::remove(path_);
  std::string note = "stale";
  EXPECT_EQ(load_progress(path_, note), Progress{});
  EXPECT_EQ(note, "");
}

}  // namespace
}  // namespace attn
