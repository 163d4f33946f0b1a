// --html FILE and lesson NAME --html FILE, run as a user runs them: the page
// is written whole or not at all, never over a file the run reads, and the
// errors are the documented ones.
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../run_binary.hpp"

namespace {

namespace fs = std::filesystem;
using namespace attn::test;

// `attn-explain ARGS` in the source tree's top folder, as the README runs it.
Result run(const std::string& args, const std::string& env = "") {
  const fs::path out = scratch() / "out", err = scratch() / "err";
  return run_shell(fmt::format("cd '{}/..' && {} '{}' {} > '{}' 2> '{}' < /dev/null", ATTN_DATA_DIR, env, ATTN_BINARY,
                               args, out.string(), err.string()),
                   out, err);
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

const char* kSentence = "\"The dog chased the ball, and it rolled away.\"";

TEST(HtmlCli, WritesThePageBesideTheTables) {
  const fs::path page = scratch() / "report.html";
  fs::remove(page);
  const Result r = run(fmt::format("--html '{}' {}", page.string(), kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Attention weights")) << "the tables still print";
  const std::string html = slurp(page);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_TRUE(has(html, "Content-Security-Policy"));
  EXPECT_TRUE(has(html, "<svg class=\"heatmap\""));
  EXPECT_TRUE(has(html, "</html>"));
}

TEST(HtmlCli, FocusStagesAndExplainReachThePage) {
  const fs::path page = scratch() / "focus.html";
  const Result r = run(fmt::format("--html '{}' --focus it --stages weights --explain --precision 2 {}", page.string(), kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = slurp(page);
  EXPECT_EQ(count(html, "<table class=\"matrix\""), 1u);
  EXPECT_EQ(count(html, "<aside class=\"explain\">"), 1u);
  EXPECT_TRUE(has(html, "Every number behind \"it\"")) << "the focus walkthrough";
  EXPECT_TRUE(has(html, "<strong>0.26</strong>")) << "it → ball at 2 decimals, marked";
  EXPECT_TRUE(has(html, "{\"p\":2,"));
}

TEST(HtmlCli, NeverReplacesAFileTheRunReadsOrTheTrace) {
  const fs::path table = scratch() / "table.json";
  const std::string text = R"({"name": "t", "dim": 2, "vectors": {"a": [1, 0], "b": [0, 1]}})";
  spit(table, text);
  Result r = run(fmt::format("-e '{0}' --html '{0}' a b", table.string()));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "--html " + table.string() + ": that is the embedding table this run reads; it would be replaced")) << r.err;
  EXPECT_EQ(slurp(table), text);

  const fs::path both = scratch() / "both.out";
  fs::remove(both);
  r = run(fmt::format("--html '{0}' --trace '{0}' a b", both.string()));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "that is the --trace file too; one would replace the other")) << r.err;
  EXPECT_FALSE(fs::exists(both));
  r = run(fmt::format("--html '{0}' --svg '{0}' a b", both.string()));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "that is the --svg file too; one would replace the other")) << r.err;
  EXPECT_FALSE(fs::exists(both));

  const fs::path lesson = scratch() / "lesson.json";
  const std::string lesson_text = R"({"name": "l", "title": "T", "source": "S", "summary": "U", "order": 1,
    "run": {"sentence": "a b"}, "steps": [{"title": "one", "say": ["x"], "show": ["weights"]}]})";
  spit(lesson, lesson_text);
  r = run(fmt::format("lesson '{0}' --html '{0}'", lesson.string()));
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "that is the lesson file this run reads; it would be replaced")) << r.err;
  EXPECT_EQ(slurp(lesson), lesson_text);
}

TEST(HtmlCli, AFailingRunLeavesThePageAsItWas) {
  const fs::path page = scratch() / "kept.html";
  spit(page, "old page");
  const Result r = run(fmt::format("--html '{}' --embeddings /nonexistent.json a", page.string()));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(slurp(page), "old page");
  const Result bad_folder = run(fmt::format("--html '{}' a", (scratch() / "no-such-folder" / "p.html").string()));
  EXPECT_EQ(bad_folder.code, 1);
  EXPECT_EQ(bad_folder.out, "") << "the page is written before stdout";
}

TEST(HtmlCli, OptionsThatCannotGoWithIt) {
  const fs::path page = scratch() / "compare.html";
  fs::remove(page);
  Result r = run(fmt::format("--html '{}' --compare scale a", page.string()));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "note: --html " + page.string() + ": --compare runs several traces and draws none")) << r.err;
  EXPECT_FALSE(fs::exists(page));
  r = run("--html '' a");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "--html: expected a file name, got \"\"")) << r.err;
  r = run("lesson --html x.html");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.err, "--html needs a lesson, e.g. attn-explain lesson journey --html journey.html")) << r.err;
  r = run("lesson it-ball --html x.html --check");
  EXPECT_EQ(r.code, 2);
  r = run("lesson it-ball --html x.html --json");
  EXPECT_EQ(r.code, 2);
}

TEST(HtmlCli, ALessonAsOnePage) {
  const fs::path page = scratch() / "lesson.html";
  const Result r = run(fmt::format("lesson it-ball --html '{}'", page.string()));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "") << "the page instead of the pages on the terminal";
  const Result steps = run("lesson it-ball --json");
  const std::string html = slurp(page);
  EXPECT_EQ(count(html, "<section class=\"step\""), count(steps.out, "\"title\":") - 1);
  EXPECT_TRUE(has(html, "Lesson: What does &quot;it&quot; refer to?"));
}

TEST(HtmlCli, AModelsPageShowsItsHeadsStagesUnlessStagesNamesOthers) {
  // As the tables: the layer's input, weights, concatenation and out_proj are n_embd wide
  // (768 in GPT-2 small, where they made 18 of a page's 22 MB); each head's own stages are drawn.
  const fs::path page = scratch() / "model.html";
  Result r = run(fmt::format("--model demo --layer 1 --html '{}' {}", page.string(), kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  std::string html = slurp(page);
  for (const char* stage : {"queries", "keys", "values", "scores", "weights", "context"}) {
    EXPECT_TRUE(has(html, fmt::format("data-stage=\"{}\"", stage))) << stage;
  }
  for (const char* stage : {"inputs", "params", "heads", "output"}) {
    EXPECT_FALSE(has(html, fmt::format("data-stage=\"{}\"", stage))) << stage;
  }
  EXPECT_TRUE(has(r.err, "print only when --stages names them (on an --html page too)")) << r.err;
  EXPECT_FALSE(has(html, "\"h0.Wq\"")) << "a hidden stage's numbers are not in the page's data either";
  r = run(fmt::format("--model demo --layer 1 --stages params,output --html '{}' {}", page.string(), kSentence));
  ASSERT_EQ(r.code, 0) << r.err;
  html = slurp(page);
  EXPECT_TRUE(has(html, "data-stage=\"params\""));
  EXPECT_TRUE(has(html, "\"h0.Wq\""));
  EXPECT_TRUE(has(html, "data-stage=\"output\""));
  EXPECT_FALSE(has(html, "data-stage=\"scores\""));
}

TEST(HtmlCli, ABrokenTemplateIsReportedNotWritten) {
  const fs::path data = scratch() / "data";
  fs::remove_all(data);
  fs::copy(ATTN_DATA_DIR, data, fs::copy_options::recursive);
  spit(data / "html" / "report.html", "<html>{{title}}{{css}}{{data}}{{js}}</html>");  // no {{body}}
  const fs::path page = scratch() / "broken.html";
  fs::remove(page);
  const Result r = run(fmt::format("--html '{}' a", page.string()), fmt::format("ATTN_EXPLAIN_DATA='{}'", data.string()));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "report.html: the page template must hold {{body}} exactly once")) << r.err;
  EXPECT_FALSE(fs::exists(page));
  EXPECT_EQ(r.out, "");
}

}  // namespace
