// The bad-input catalogue's shared parts: the Case a catalogue entry is, the
// runner that runs the built binary in a scratch folder, the checks every
// failing run must pass, and the inputs the cases generate (garbage, repeats,
// tables). tests/bad_input_test.cpp says what each case must do; the cases
// themselves live by area in tests/bad_input/*_cases.cpp, and the tests that
// need more than one run in tests/bad_input/*_test.cpp.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../run_binary.hpp"

namespace attn::bad_input {

namespace fs = std::filesystem;
using namespace attn::test;

constexpr std::size_t kMaxLineBytes = 4096;  // "a line or two", not a megabyte
constexpr int kHung = 124;                   // `timeout` killed it



// Runs `attn-explain ARGS` through the shell in folder `dir`, with `timeout 20`.
// `input`: stdin (default /dev/null). `stdout_to`: where stdout goes (default: a
// file that is read back). XDG_STATE_HOME points into the scratch folder, so no
// case ever touches a real progress file.
inline Result run(const fs::path& dir, const std::string& args, const std::optional<std::string>& input = std::nullopt,
           const std::string& stdout_to = "", int seconds = 20) {
  fs::create_directories(dir);
  const fs::path out = dir / ".stdout", err = dir / ".stderr", in = dir / ".stdin";
  if (input) spit(in, *input);
  const char* valgrind = std::getenv("ATTN_BAD_INPUT_VALGRIND");
  const std::string tool = valgrind && std::string(valgrind) == "1"
                               ? "valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect "
                               : "";
  const std::string cmd = fmt::format(
      "cd '{}' && XDG_STATE_HOME='{}' NO_COLOR=1 timeout {} {}'{}' {} < '{}' > '{}' 2> '{}'", dir.string(),
      (scratch() / "state").string(), tool.empty() ? seconds : 300, tool, ATTN_BINARY, args,
      input ? in.string() : std::string("/dev/null"), stdout_to.empty() ? out.string() : stdout_to, err.string());
  return run_shell(cmd, stdout_to.empty() ? out : fs::path(), err);
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// Well-formed UTF-8 without control characters other than the newline.
inline bool is_clean_text(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      ++i;
      continue;
    }
    if (c < 0x20 || c == 0x7f) return false;
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    i += len;
  }
  return true;
}

// Short enough to print in a failure message.
inline std::string excerpt(const std::string& s) { return s.size() <= 600 ? s : s.substr(0, 600) + "...[cut]"; }

// The checks every failing run must pass; `what` names the run in messages.
inline void expect_clean_failure(const Result& r, int code, const std::vector<std::string>& says, const std::string& what,
                          bool check_stdout = true) {
  ASSERT_NE(r.code, kHung) << what << ": hung (killed by timeout)";
  EXPECT_EQ(r.code, code) << what << "\nstderr: " << excerpt(r.err);
  const std::string line = first_line(r.err);
  EXPECT_EQ(line.rfind("attn-explain: error: ", 0), 0u) << what << "\nstderr: " << excerpt(r.err);
  for (const std::string& part : says) {
    EXPECT_TRUE(has(line, part)) << what << "\nthe first stderr line should contain: " << part
                                 << "\nstderr: " << excerpt(r.err);
  }
  const std::vector<std::string> lines = lines_of(r.err);
  EXPECT_LE(lines.size(), 3u) << what << "\nstderr: " << excerpt(r.err);
  for (const std::string& l : lines) {
    EXPECT_LE(l.size(), kMaxLineBytes) << what << ": a stderr line of " << l.size() << " bytes: " << excerpt(l);
  }
  EXPECT_TRUE(is_clean_text(r.err)) << what << ": stderr is not UTF-8 text without control characters: "
                                    << excerpt(r.err);
  if (check_stdout) {
    EXPECT_EQ(r.out, "") << what << ": stdout is not empty";
  }
}

// ---------------------------------------------------------------------------
// The table

struct Case {
  std::string name;  // the test's name: letters, digits, _
  std::string args;  // after the binary, in shell syntax
  int code;          // the exit code
  std::vector<std::string> says;  // each must be in the first stderr line
  std::string json_args;          // the same run with --json; empty: --json is not allowed with it
  std::vector<std::pair<std::string, std::string>> files = {};  // written in the case's folder first
  std::optional<std::string> input = std::nullopt;              // stdin (default /dev/null)
  std::string defect = "";  // set: what the binary once did wrong here (printed when the case fails)
};

inline void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// A case whose --json variant puts --json first.
inline Case with_json(Case c) {
  c.json_args = "--json " + c.args;
  return c;
}

inline std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// Binary garbage: a PNG signature, then bytes from a fixed generator.
inline std::string garbage() {
  std::string g = "\x89PNG\r\n\x1a\n";
  std::uint32_t x = 2463534242u;
  for (int i = 0; i < 4096; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    g += static_cast<char>(x & 0xff);
  }
  return g;
}

inline const char* const kTable = R"({"dim": 2, "vectors": {"hi": [1, 2], "there": [3, 4]}})";

// A table with `weights`, for --projection table.
inline std::string weighted(const std::string& weights) {
  return R"({"dim": 2, "vectors": {"hi": [1, 2], "there": [3, 4]}, "weights": )" + weights + "}";
}
inline const char* const kI = "[[1, 0], [0, 1]]";

// A case reading `content` from the table file `file` with -e: exit 1, --json too.
inline Case table_case(std::string name, std::string file, std::string content, std::vector<std::string> says,
                       std::string defect = "") {
  Case k = with_json({name, fmt::format("-e '{}' hi there", file), 1, std::move(says), ""});
  k.files = {{file, std::move(content)}};
  k.defect = std::move(defect);
  return k;
}

// The catalogue by area; each appends its cases to `c` (tests/bad_input/*_cases.cpp).
void add_file_cases(std::vector<Case>& c);       // missing, unreadable, empty, garbage, malformed JSON
void add_table_cases(std::vector<Case>& c);      // wrong types, lengths, duplicates, numbers, weights
void add_sentence_cases(std::vector<Case>& c);   // empty, invalid UTF-8, controls, too long
void add_option_cases(std::vector<Case>& c);     // option values, --focus, lesson heads, answers
void add_echo_cases(std::vector<Case>& c);       // user text echoed in a message
void add_render_cases(std::vector<Case>& c);     // render TRACE.json that is not a whole trace

}  // namespace attn::bad_input
