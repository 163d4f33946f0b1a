// Memory, as a user meets it (issue 12, items 16 and 17), through the built binary:
//   - out of memory under a cap (ulimit -v, RLIMIT_AS) is `attn-explain: error:
//     out of memory` with exit 1, never an abort, and leaves no --trace file;
//   - a run whose estimate is over --max-memory (default 1 GiB) is refused before it
//     computes anything (exit 1), naming the estimate, the limit and the option;
//   - the estimate is honest: never below the peak the run really reaches, and at
//     most twice it;
//   - a table's weights are no wider than --d-out may be (4096).
// Each binary runs in a child made here (fork, setrlimit, exec), so that its own
// peak resident size comes back from wait4(). An AddressSanitizer build reserves
// terabytes of address space and its shadow memory inflates the resident size, so
// the tests that cap the address space or measure the peak are skipped there.
#include <fcntl.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_binary.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define ATTN_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ATTN_UNDER_ASAN 1
#endif
#endif

namespace {

namespace fs = std::filesystem;
using namespace attn::test;

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

#ifdef ATTN_UNDER_ASAN
constexpr bool kUnderAsan = true;
#else
constexpr bool kUnderAsan = false;
#endif

#define SKIP_UNDER_ASAN()                                                                                   \
  if (kUnderAsan)                                                                                           \
  GTEST_SKIP() << "AddressSanitizer reserves terabytes of address space and its shadow memory counts as "    \
                  "resident: a cap on the address space or a measured peak means nothing in this build"

struct Outcome {
  int code = -1;  // exit status, or 128 + the signal that ended it
  std::string out, err;
  std::uint64_t peak_bytes = 0;  // the largest resident set the run reached
};

// Runs `attn-explain args` in `dir` under `timeout 120`, with the address space
// capped at `cap` bytes when given; stdin is /dev/null.
Outcome run(const fs::path& dir, const std::vector<std::string>& args, std::optional<std::uint64_t> cap = std::nullopt) {
  fs::create_directories(dir);
  const fs::path out = dir / ".stdout", err = dir / ".stderr";
  std::vector<std::string> words = {"timeout", "120", ATTN_BINARY};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const std::string state = "XDG_STATE_HOME=" + (scratch() / "state").string();

  // The child starts with this process's resident pages, and exec counts them in
  // its peak: the heap freed by earlier runs (their output, slurped) is given
  // back first, so that the peak measured is the binary's own.
  ::malloc_trim(0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The child: only async-signal-safe calls from here to exec.
    if (cap) {
      const rlimit limit{*cap, *cap};
      if (::setrlimit(RLIMIT_AS, &limit) != 0) ::_exit(97);
    }
    const int in_fd = ::open("/dev/null", O_RDONLY);
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in_fd < 0 || out_fd < 0 || err_fd < 0 || ::chdir(dir.c_str()) != 0) ::_exit(98);
    ::dup2(in_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::putenv(const_cast<char*>(state.c_str()));
    ::putenv(const_cast<char*>("NO_COLOR=1"));
    ::execvp("timeout", argv.data());
    ::_exit(99);
  }
  Outcome r;
  int status = 0;
  rusage usage{};
  if (pid < 0 || ::wait4(pid, &status, 0, &usage) != pid) return r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  r.peak_bytes = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // kilobytes on Linux
  return r;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string excerpt(const std::string& s) { return s.size() <= 600 ? s : s.substr(0, 600) + "...[cut]"; }

std::string words(std::size_t n, const std::string& word = "the") {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += (i ? " " : "") + word;
  return s;
}

// "w0 w1 w2 ...": distinct words, each with its own (hashed) vector, so that the
// numbers of the trace differ as a real sentence's do.
std::string distinct_words(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += fmt::format("{}w{}", i ? " " : "", i);
  return s;
}

// The estimate a refusal names, "about 123.4 MiB" or "about 2.5 GiB", in bytes.
std::optional<std::uint64_t> estimate_in(const std::string& message) {
  std::smatch m;
  if (!std::regex_search(message, m, std::regex(R"(about ([0-9.]+) (KiB|MiB|GiB))"))) return std::nullopt;
  const double unit = m[2] == "KiB" ? 1024.0 : m[2] == "MiB" ? 1024.0 * 1024 : 1024.0 * 1024 * 1024;
  return static_cast<std::uint64_t>(std::stod(m[1]) * unit);
}

// ---------------------------------------------------------------------------
// Item 16: out of memory is an error, never an abort.

TEST(MemoryCap, OutOfMemoryIsAnErrorInEveryOutput) {
  SKIP_UNDER_ASAN();
  // 1500 tokens: some 7 million numbers in the trace, well under the 1 GiB budget
  // but far over these caps, which land while the trace is computed, while its JSON
  // is written and while the tables are laid out.
  const std::string sentence = words(1500);
  const std::vector<std::vector<std::string>> modes = {
      {"--json"}, {}, {"--trace", "t.json"}, {"--compare", "softmax"}, {"--causal", "--dropout", "0.2", "--json"}};
  for (const std::uint64_t cap : {32 * kMiB, 60 * kMiB, 120 * kMiB, 240 * kMiB}) {
    for (const auto& mode : modes) {
      const fs::path dir = scratch() / "oom";
      fs::remove_all(dir);
      std::vector<std::string> args = {"--max-tokens", "2048"};
      args.insert(args.end(), mode.begin(), mode.end());
      args.push_back(sentence);
      const Outcome r = run(dir, args, cap);
      const std::string what = fmt::format("cap {} MiB, {}", cap / kMiB, fmt::join(mode, " "));
      if (r.code == 0) continue;  // it fitted
      EXPECT_EQ(r.code, 1) << what << "\nstderr: " << excerpt(r.err);
      EXPECT_EQ(first_line(r.err).rfind("attn-explain: error: out of memory", 0), 0u) << what << "\nstderr: " << excerpt(r.err);
      EXPECT_EQ(r.out, "") << what;
      // No trace, and no temporary file beside it.
      for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        EXPECT_TRUE(name == ".stdout" || name == ".stderr") << what << ": left " << name;
      }
    }
  }
}

TEST(MemoryCap, TheSmallestCapStillFails) {
  // The sweep above must see failures, not only runs that fitted. (The trace alone
  // is 27 MB; with the JSON written as it is made, the run fits 40 MiB.)
  SKIP_UNDER_ASAN();
  const Outcome r = run(scratch() / "oom_small", {"--max-tokens", "2048", "--json", words(1500)}, 32 * kMiB);
  EXPECT_EQ(r.code, 1) << excerpt(r.err);
  EXPECT_EQ(first_line(r.err).rfind("attn-explain: error: out of memory", 0), 0u) << excerpt(r.err);
}

// ---------------------------------------------------------------------------
// Item 17: the estimate, the budget and --max-memory.

// Heavy runs: the issue's two (2.1 GB and 21 s; 4.4 GB and 33 s, before the
// estimate) take 276 MB and 383 MB since the output is streamed (issue 16.3) and
// fit the default limit; made heavier (60 tokens, 32 heads), they take gigabytes
// still. And the first as tables.
const std::vector<std::vector<std::string>> kHeavyRuns = {
    {"--heads", "256", "--d-out", "4096", "--projection", "rand", "--json", words(60, "a")},
    {"--max-tokens", "2048", "--heads", "32", "--projection", "rand", "--json", words(2000, "word")},
    {"--heads", "256", "--d-out", "4096", "--projection", "rand", words(60, "a")},
};

TEST(MemoryBudget, TheHeavyRunsAreRefusedBeforeTheyCompute) {
  // Under a 400 MiB cap a run that computed before refusing would run out of memory
  // (or abort); refused from the estimate it never comes near the cap.
  const std::optional<std::uint64_t> cap = kUnderAsan ? std::nullopt : std::optional<std::uint64_t>(400 * kMiB);
  for (const auto& args : kHeavyRuns) {
    const Outcome r = run(scratch() / "heavy", args, cap);
    const std::string what = fmt::format("{}", fmt::join(args.begin(), args.end() - 1, " "));
    EXPECT_EQ(r.code, 1) << what << "\nstderr: " << excerpt(r.err);
    const std::string line = first_line(r.err);
    EXPECT_EQ(line.rfind("attn-explain: error: ", 0), 0u) << what << "\nstderr: " << excerpt(r.err);
    EXPECT_TRUE(has(line, "more than the limit of 1 GiB")) << what << "\nstderr: " << excerpt(r.err);
    const std::optional<std::uint64_t> estimate = estimate_in(line);
    ASSERT_TRUE(estimate) << what << ": no estimate in: " << line;
    EXPECT_GT(*estimate, std::uint64_t{1} << 30) << line;
    EXPECT_TRUE(has(r.err, "--max-memory")) << what << ": the option that raises the limit is not named\n" << r.err;
    EXPECT_EQ(r.out, "") << what;
  }
}

TEST(MemoryBudget, MaxMemoryLowersAndRaisesTheLimit) {
  const std::vector<std::string> run_args = {"--max-tokens", "300", "--heads", "2", "--projection", "rand", "--json",
                                             words(300)};
  std::vector<std::string> low = {"--max-memory", "10M"};
  low.insert(low.end(), run_args.begin(), run_args.end());
  const Outcome refused = run(scratch() / "limit", low);
  EXPECT_EQ(refused.code, 1) << excerpt(refused.err);
  EXPECT_TRUE(has(first_line(refused.err), "more than the limit of 10 MiB")) << excerpt(refused.err);

  const Outcome fits = run(scratch() / "limit", run_args);  // the default, 1 GiB
  EXPECT_EQ(fits.code, 0) << excerpt(fits.err);
  EXPECT_TRUE(nlohmann::json::accept(fits.out));

  // The heavy run's own hint says how much to allow; with that it is not refused
  // for memory (it is not run here: it would take seconds and gigabytes).
  const Outcome heavy = run(scratch() / "limit", kHeavyRuns[0]);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(heavy.err, m, std::regex(R"(--max-memory ([0-9]+[MG]))"))) << heavy.err;
  EXPECT_NE(m[1], "1G");
}

TEST(MemoryBudget, MaxMemoryValuesAreChecked) {
  for (const char* bad : {"0M", "0", "2048", "1.5G", "-1G", "G", "4X", "512K", "2T", "99999999999999999999G", ""}) {
    const Outcome r = run(scratch() / "option", {"--max-memory", bad, "hi"});
    EXPECT_EQ(r.code, 2) << bad << "\nstderr: " << excerpt(r.err);
    EXPECT_TRUE(has(first_line(r.err), "--max-memory: expected a size")) << bad << "\nstderr: " << excerpt(r.err);
  }
  for (const char* good : {"512m", "4G", "1T", "2048M"}) {
    const Outcome r = run(scratch() / "option", {"--max-memory", good, "hi"});
    EXPECT_EQ(r.code, 0) << good << "\n" << excerpt(r.err);
  }
  // The smallest limit is legal, and far below any run: the run is refused (exit 1).
  for (const char* smallest : {"1M", "1024K"}) {
    const Outcome r = run(scratch() / "option", {"--max-memory", smallest, "hi"});
    EXPECT_EQ(r.code, 1) << smallest << "\n" << excerpt(r.err);
    EXPECT_TRUE(has(first_line(r.err), "more than the limit of 1 MiB")) << excerpt(r.err);
  }
}

TEST(MemoryBudget, TheEstimateIsNeverBelowThePeakAndAtMostTwiceIt) {
  SKIP_UNDER_ASAN();
  // Each run once refused at 1M to read its estimate, then run and measured. (A
  // sentence of one word repeated writes short JSON numbers, and its estimate is
  // about twice its peak: the JSON runs here have distinct words.)
  const std::vector<std::vector<std::string>> runs = {
      {"--json", "--max-tokens", "2048", distinct_words(1000)},
      {"--max-tokens", "2048", words(1000)},
      {"--max-tokens", "2048", "--causal", "--dropout", "0.1", "--trace", "t.json", distinct_words(800)},
      {"--json", "--max-tokens", "400", "--heads", "8", "--projection", "rand", "--d-out", "64", words(400, "cat")},
      {"--json", "--heads", "64", "--d-out", "1024", "--projection", "linear", "--qkv-bias", words(20, "dog")},
      {"--json", "--heads", "16", "--multihead", "split", "--d-out", "2048", "--projection", "rand", words(60, "a")},
      {"--compare", "softmax", "--max-tokens", "2048", words(700)},
      {"--compare", "scale", "--color", "always", "--max-tokens", "2048", words(600)},
      {"--color", "always", "--precision", "9", "--max-tokens", "2048", words(600)},
      {"--heads", "4", "--projection", "rand", "--d-out", "8", "--max-tokens", "2048", words(700)},
      {"--heads", "64", "--d-out", "1024", "--projection", "rand", distinct_words(20)},
      {"--html", "p.html", "--max-tokens", "2048", "--heads", "4", "--projection", "rand", "--d-out", "8", words(600)},
  };
  for (const auto& args : runs) {
    const std::string what = fmt::format("{}", fmt::join(args.begin(), args.end() - 1, " "));
    std::vector<std::string> probe = {"--max-memory", "1M"};
    probe.insert(probe.end(), args.begin(), args.end());
    const Outcome refused = run(scratch() / "honest", probe);
    ASSERT_EQ(refused.code, 1) << what << "\n" << excerpt(refused.err);
    const std::optional<std::uint64_t> estimate = estimate_in(refused.err);
    ASSERT_TRUE(estimate) << what << ": " << refused.err;

    const Outcome r = run(scratch() / "honest", args);
    ASSERT_EQ(r.code, 0) << what << "\n" << excerpt(r.err);
    const double peak = static_cast<double>(r.peak_bytes);
    std::printf("estimate %7.1f MiB, peak %7.1f MiB, ratio %.2f: %s\n", static_cast<double>(*estimate) / kMiB,
                peak / kMiB, static_cast<double>(*estimate) / peak, what.c_str());
    EXPECT_GE(static_cast<double>(*estimate), peak) << what << ": estimate " << *estimate / kMiB << " MiB, peak "
                                                    << r.peak_bytes / kMiB << " MiB";
    EXPECT_LE(static_cast<double>(*estimate), 2 * peak) << what << ": estimate " << *estimate / kMiB << " MiB, peak "
                                                        << r.peak_bytes / kMiB << " MiB";
  }
}

// ---------------------------------------------------------------------------
// Item 17: a table's weights are no wider than --d-out may be.

std::string table_with_width(std::size_t width) {
  std::string row = "[";
  for (std::size_t i = 0; i < width; ++i) row += i ? ",0" : "0";
  row += "]";
  return fmt::format(R"({{"dim": 1, "vectors": {{"a": [1], "b": [2]}},
 "weights": {{"W_query": [{0}], "W_key": [{0}], "W_value": [{0}]}}}})",
                     row);
}

TEST(TableWidth, WeightsWiderThanTheDOutLimitAreRefused) {
  const fs::path dir = scratch() / "width";
  spit(dir / "wide.json", table_with_width(4097));
  spit(dir / "huge.json", table_with_width(2000000));  // the issue's 1 × 2,000,000
  for (const char* file : {"wide.json", "huge.json"}) {
    const Outcome r = run(dir, {"-e", file, "a b"});
    EXPECT_EQ(r.code, 1) << file << "\n" << excerpt(r.err);
    const std::string line = first_line(r.err);
    EXPECT_TRUE(has(line, file)) << line;
    EXPECT_TRUE(has(line, std::string(file) == std::string("wide.json") ? "4097 columns" : "2000000 columns")) << line;
    EXPECT_TRUE(has(line, "4096")) << line;
    EXPECT_EQ(r.out, "");
  }
  spit(dir / "widest.json", table_with_width(4096));
  const Outcome r = run(dir, {"-e", "widest.json", "--json", "a b"});
  EXPECT_EQ(r.code, 0) << excerpt(r.err);
  EXPECT_EQ(nlohmann::json::parse(r.out)["config"]["d_out"], 4096);
}

// ---------------------------------------------------------------------------
// Issue 16.3: the JSON trace and the tables are written as they are made, so a
// 2,048-token run holds its trace (3 n × n matrices, 50 MB) and little else:
// under 128 MiB resident, where the whole text held took 200 MB (--json, 148 MB
// of JSON) and 346 MB (the tables).

TEST(Streaming, A2048TokenRunStaysUnder128MiB) {
  SKIP_UNDER_ASAN();
  const std::string sentence = distinct_words(2048);
  for (const char* mode : {"--json", "--precision=4"}) {
    const Outcome r = run(scratch() / "stream", {mode, "--max-tokens", "2048", sentence});
    ASSERT_EQ(r.code, 0) << mode << "\n" << excerpt(r.err);
    // All of it was written: the trace's 12.6 million numbers, to the last line.
    EXPECT_GT(r.out.size(), std::size_t{90} << 20) << mode;  // 141 MiB of JSON, 98 MiB of tables
    const bool json = std::string(mode) == "--json";
    EXPECT_EQ(r.out.substr(r.out.size() - (json ? 2 : 1)), json ? "}\n" : "\n") << mode;
    if (!json) {
      EXPECT_TRUE(has(r.out.substr(r.out.size() - (std::size_t{1} << 20)), "Context vectors")) << mode;
    }
    // The measure measures: the trace's own matrices are resident.
    EXPECT_GT(r.peak_bytes, 40 * kMiB) << mode;
    EXPECT_LT(r.peak_bytes, 128 * kMiB) << mode << ": peak " << r.peak_bytes / kMiB << " MiB";
    std::printf("%s, 2048 tokens: peak %.1f MiB, %.1f MiB written\n", mode, static_cast<double>(r.peak_bytes) / kMiB,
                static_cast<double>(r.out.size()) / kMiB);
  }
}

// Issue 25.3: the HTML page is written as it is drawn too. Made whole, a 2,048-token
// page (149 MB) peaked at 478 MiB; streamed, it holds its trace, a row's
// normalisation and one picture at a time.
TEST(Streaming, A2048TokenPageStaysUnder128MiB) {
  SKIP_UNDER_ASAN();
  const Outcome r = run(scratch() / "stream", {"--html", "-", "--max-tokens", "2048", distinct_words(2048)});
  ASSERT_EQ(r.code, 0) << excerpt(r.err);
  EXPECT_GT(r.out.size(), std::size_t{120} << 20);  // every number, to the end of the page
  EXPECT_EQ(r.out.substr(r.out.size() - 8), "</html>\n");
  EXPECT_GT(r.peak_bytes, 40 * kMiB);
  EXPECT_LT(r.peak_bytes, 128 * kMiB) << "peak " << r.peak_bytes / kMiB << " MiB";
  std::printf("--html -, 2048 tokens: peak %.1f MiB, %.1f MiB written\n", static_cast<double>(r.peak_bytes) / kMiB,
              static_cast<double>(r.out.size()) / kMiB);
}

}  // namespace
