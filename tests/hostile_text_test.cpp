// Text that would act instead of showing never reaches the reader raw (issue 23,
// item 12): a trace whose sentence, tokens, warnings, table name and path hold
// ESC sequences, NUL, C1 controls, newlines and bidirectional controls
// (tests/fuzz/regressions/trace/hostile-strings.json) is rendered by the built
// binary as tables, the focus view, an HTML page and an SVG picture, and none
// of those bytes is in any of them; each string is shown escaped instead.
// (render takes a trace's strings as they are and escapes them when it shows
// them, as it shows a live run's: trace_read.hpp.)
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "run_binary.hpp"

namespace {

namespace fs = std::filesystem;
using namespace attn::test;

const fs::path kHostileTrace = fs::path(ATTN_SOURCE_DIR) / "tests/fuzz/regressions/trace/hostile-strings.json";

// The first byte sequence in `text` that a terminal or a browser would obey
// rather than show: a C0 control other than the newline, DEL, a C1 control
// (U+0080-009F), a bidirectional control (U+202A-202E, U+2066-2069). "" when none.
std::string first_raw_control(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto next = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0; };
    const bool c0 = (c < 0x20 && c != '\n') || c == 0x7F;
    const bool c1 = c == 0xC2 && next(1) >= 0x80 && next(1) <= 0x9F;
    const bool bidi = c == 0xE2 && ((next(1) == 0x80 && next(2) >= 0xAA && next(2) <= 0xAE) ||
                                    (next(1) == 0x81 && next(2) >= 0xA6 && next(2) <= 0xA9));
    if (c0 || c1 || bidi) {
      return fmt::format("byte {} of {}: ...{}...", i, text.size(),
                         text.substr(i < 40 ? 0 : i - 40, 60));
    }
  }
  return "";
}

Result render(const std::string& args) {
  const fs::path out = scratch() / "out", err = scratch() / "err";
  return run_shell(fmt::format("cd '{}' && NO_COLOR=1 '{}' render '{}' {} > '{}' 2> '{}' < /dev/null", scratch().string(),
                               ATTN_BINARY, kHostileTrace.string(), args, out.string(), err.string()),
                   out, err);
}

TEST(HostileText, TheTablesShowEveryStringEscaped) {
  const Result r = render("");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(first_raw_control(r.out), "");
  EXPECT_EQ(first_raw_control(r.err), "");
  // Visibly: the sentence, the tokens, the table's name and path.
  for (const char* shown : {"How \\x1B[2J\\x1B]0;pwned\\x07 are\\u202E you\\0 doing\\u0085?\\n\\u2066", "How\\x1B[31m",
                            "are\\u202E", "you\\0", "doing\\u2066", "evil\\x1B]0;title\\x07\\u202E", "/tmp/\\u2067evil\\n.json"}) {
    EXPECT_NE(r.out.find(shown), std::string::npos) << shown << "\n" << r.out.substr(0, 1500);
  }
}

TEST(HostileText, TheFocusViewShowsEveryStringEscaped) {
  for (const char* focus : {"1", "2", "5"}) {
    const Result r = render(fmt::format("--focus {}", focus));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(first_raw_control(r.out), "") << "--focus " << focus;
  }
}

TEST(HostileText, TheHtmlPageAndTheSvgPictureShowEveryStringEscaped) {
  const fs::path html = scratch() / "page.html", svg = scratch() / "picture.svg";
  const Result r = render(fmt::format("--html '{}' --svg '{}'", html.string(), svg.string()));
  ASSERT_EQ(r.code, 0) << r.err;
  for (const fs::path& page : {html, svg}) {
    const std::string text = slurp(page);
    EXPECT_EQ(first_raw_control(text), "") << page;
    EXPECT_NE(text.find("are\\u202E"), std::string::npos) << page;  // visible, not &#x202E; (which would act)
    EXPECT_EQ(text.find("&#x202"), std::string::npos) << page;
  }
}

// A lesson file in the data folder whose title and source hold an OSC title
// sequence and a bidi override: the lesson list shows them escaped.
TEST(HostileText, TheLessonListShowsTitlesAndSourcesEscaped) {
  const fs::path data = scratch() / "data";
  fs::remove_all(data);
  fs::create_directories(data / "lessons");
  fs::copy(fs::path(ATTN_SOURCE_DIR) / "data", data, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  std::string lesson = slurp(data / "lessons/how-are-you.json");
  const std::string title = "\"title\": \"";
  const std::size_t at = lesson.find(title);
  ASSERT_NE(at, std::string::npos);
  lesson.insert(at + title.size(), "Evil \\u001b]0;pwned\\u0007 \\u202e ");
  const std::string source = "\"source\": \"";
  const std::size_t from = lesson.find(source);
  ASSERT_NE(from, std::string::npos);
  lesson.insert(from + source.size(), "\\u009b2J ");
  { std::ofstream(data / "lessons/how-are-you.json", std::ios::binary) << lesson; }
  const fs::path out = scratch() / "out", err = scratch() / "err";
  const Result r = run_shell(fmt::format("ATTN_EXPLAIN_DATA='{}' NO_COLOR=1 '{}' lesson > '{}' 2> '{}' < /dev/null",
                                         data.string(), ATTN_BINARY, out.string(), err.string()),
                             out, err);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(first_raw_control(r.out), "");
  EXPECT_NE(r.out.find("Evil \\x1B]0;pwned\\x07 \\u202E"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\\u009B2J"), std::string::npos) << r.out;
}

}  // namespace
