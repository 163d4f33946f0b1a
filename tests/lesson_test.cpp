// Lessons: the format's errors, the settings each step carries, the commands
// they print, every bundled lesson running and its claims holding; and the
// default table telling the documents' story (issue 4, item 8).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include <unistd.h>

#include <map>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "attn/model.hpp"

#include "attn/util/error.hpp"
#include "attn/explorer.hpp"
#include "attn/teach/lesson.hpp"
#include "attn/render/render_lesson.hpp"
#include "attn/render/render_focus.hpp"
#include "test_util.hpp"

namespace attn {
namespace {

// The token (by text, first occurrence) that `token`'s row of head 1 weighs most.
std::string attends_most_to(const Trace& t, const std::string& token, std::size_t head = 0) {
  const std::size_t row = find_focus(t, token);
  const Matrix& w = t.heads.at(head).attn_weights;
  std::size_t best = 0;
  for (std::size_t j = 1; j < w.cols; ++j)
    if (w(row, j) > w(row, best)) best = j;
  return t.tokens[best];
}

Trace default_run(const std::string& sentence) {
  Request r;
  r.sentence = sentence;
  r.oov = OovPolicy::error;
  return explore(r, load_table(test::bundled("default.json")));
}

// 000_*: "it" refers to the ball that rolled away.
TEST(DefaultTableStory, ItAttendsMostToBall) {
  const Trace t = default_run("The dog chased the ball, and it rolled away.");
  EXPECT_EQ(t.settings.projection, Projection::table);
  EXPECT_EQ(attends_most_to(t, "it"), "ball");
}

// 001_*: "it" was hungry, so it is the dog, not "He".
TEST(DefaultTableStory, ItAttendsMostToDogWhenHungry) {
  const Trace t = default_run("He fed the dog because it was hungry.");
  EXPECT_EQ(attends_most_to(t, "it"), "dog");
  const Matrix& w = t.heads[0].attn_weights;
  EXPECT_GT(w(find_focus(t, "it"), find_focus(t, "dog")), w(find_focus(t, "it"), find_focus(t, "He")));
}

// 002_*: "making" keeps most of itself, then looks at "Transformer".
TEST(DefaultTableStory, MakingAttendsToItselfThenTransformer) {
  const Trace t = default_run("The Transformer is making it possible to understand language.");
  const std::size_t row = find_focus(t, "making");
  std::vector<std::size_t> order(t.tokens.size());
  for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
  const Matrix& w = t.heads[0].attn_weights;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return w(row, a) > w(row, b); });
  EXPECT_EQ(t.tokens[order[0]], "making");
  EXPECT_EQ(t.tokens[order[1]], "Transformer");
}

const char* kMinimal = R"({
  "name": "mini", "title": "Mini", "source": "a test", "summary": "two steps",
  "run": {"sentence": "Your journey starts with one step", "embeddings": "journey.json", "projection": "none"},
  "steps": [
    {"title": "first", "say": ["hello"], "run": {"scale": false}, "show": ["scores"]},
    {"title": "second", "run": {"projection": "rand", "d_out": 2, "scale": true}, "focus": "journey"}
  ]
})";

TEST(Lesson, StepsCarryTheMergedSettings) {
  const Lesson l = parse_lesson(kMinimal, "mini.json");
  ASSERT_EQ(l.steps.size(), 2u);
  EXPECT_EQ(l.steps[0].settings.request.projection, Projection::none);
  EXPECT_FALSE(l.steps[0].settings.request.scale);
  EXPECT_EQ(l.steps[1].settings.request.projection, Projection::rand);
  EXPECT_EQ(l.steps[1].settings.request.sentence, "Your journey starts with one step");  // kept from the lesson's run
  EXPECT_EQ(l.steps[1].settings.request.d_out, 2u);
  EXPECT_TRUE(l.steps[1].settings.request.scale);
  EXPECT_EQ(l.steps[1].settings.embeddings, "journey.json");
}

TEST(Lesson, CommandsReproduceTheStep) {
  const Lesson l = parse_lesson(kMinimal, "mini.json");
  EXPECT_EQ(command_for(l.steps[0]),
            "attn-explain --embeddings journey.json --projection none --no-scale --stages scores "
            "\"Your journey starts with one step\"");
  EXPECT_EQ(command_for(l.steps[1]),
            "attn-explain --embeddings journey.json --projection rand --d-out 2 --focus journey "
            "\"Your journey starts with one step\"");
  LessonStep s;
  s.settings.request.sentence = "It's $5";
  s.focus = "It's";
  EXPECT_EQ(command_for(s), "attn-explain --focus \"It's\" 'It'\\''s $5'");
}

TEST(Lesson, RendersTheBooksNumbersInItsSteps) {
  const Lesson l = parse_lesson(kMinimal, "mini.json");
  const std::vector<std::string> pages = render_lesson(l, run_lesson(l), LessonOptions{});
  ASSERT_EQ(pages.size(), 3u);  // introduction + 2 steps
  EXPECT_NE(pages[1].find("0.9544"), std::string::npos);  // x(2)·x(1), Raschka ch. 3.3
  EXPECT_NE(pages[1].find("hello"), std::string::npos);
  EXPECT_NE(pages[2].find("1.4551"), std::string::npos);  // query_2 with seed 123, ch. 3.4
  for (const auto& p : pages) EXPECT_EQ(p.find('\x1b'), std::string::npos);
}

void expect_refused(const std::string& text, const std::string& needle) {
  try {
    parse_lesson(text, "bad.json");
    ADD_FAILURE() << "accepted: " << text;
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("bad.json", 0), 0u) << e.what();
  }
}

TEST(Lesson, RefusesBrokenFilesNamingTheStep) {
  const std::string head = R"({"name": "b", "title": "B", "source": "s", "summary": "s", "run": {"sentence": "a b"}, )";
  expect_refused(head + R"("steps": [{"title": "t", "show": ["scorez"]}]})", "step 1: \"show\" names \"scorez\"");
  expect_refused(head + R"("steps": [{"title": "t"}, {"title": "u", "colour": 1}]})", "step 2: unknown key \"colour\"");
  expect_refused(head + R"("steps": [{"title": "t", "run": {"dropout": 1.5}}]})", "\"dropout\" is 1.5");
  expect_refused(head + R"("steps": [{"title": "t", "run": {"heads": 0}}]})", "\"heads\" is 0");
  expect_refused(head + R"("steps": [{"title": "t", "run": {"projection": "magic"}}]})", "\"projection\" is \"magic\"");
  expect_refused(head + R"("steps": [{"title": "t", "compare": "colour"}]})", "\"compare\"");
  expect_refused(head + R"("steps": []})", "\"steps\"");
  expect_refused(head + R"("steps": [{"say": ["no title"]}]})", "\"title\" is missing");
  expect_refused(head + R"("steps": [{"title": "t", "say": "not a list"}]})", "\"say\" is a string");
  expect_refused(R"({"name": "b", "name": "c"})", "duplicate key \"name\"");
  expect_refused(R"({"name": "b",)", "bad.json:1:");
  expect_refused(R"({"name": "b", "title": "B", "source": "s", "summary": "s", "steps": [{"title": "t", "show": ["scores"]}]})",
                 "no \"sentence\"");
}

TEST(Lesson, AFocusTokenMissingFromTheSentenceIsADataError) {
  const Lesson l = parse_lesson(R"({"name": "b", "title": "B", "source": "s", "summary": "s",
    "run": {"sentence": "Your journey", "embeddings": "journey.json"}, "steps": [{"title": "t", "focus": "cat"}]})",
                                "bad.json");
  EXPECT_THROW(render_lesson(l, run_lesson(l), LessonOptions{}), DataError);
}

// Issue 23, item 16: "head": 1024 in a run of one head was accepted and its claim read
// the last head; now the run refuses it, naming the file, the step and the range.
TEST(Lesson, AHeadBeyondTheRunsHeadsIsRefusedNamingTheStepAndTheRange) {
  const std::string head = R"({"name": "b", "title": "B", "source": "s", "summary": "s",
    "run": {"sentence": "How are you doing?"}, "steps": [{"title": "t", "show": ["weights"]}, )";
  const Lesson one = parse_lesson(head + R"({"title": "u", "run": {"head": 1024}, "show": ["weights"]}]})", "bad.json");
  try {
    run_lesson(one);
    ADD_FAILURE() << "head 1024 of 1 was run";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), "bad.json: step 2: \"head\" 1024: the run has 1 head, expected 1 to 1");
  }
  const Lesson two = parse_lesson(
      head + R"({"title": "u", "run": {"heads": 2, "multihead": "split", "head": 3}, "show": ["weights"]}]})", "two.json");
  try {
    run_lesson(two);
    ADD_FAILURE() << "head 3 of 2 was run";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), "two.json: step 2: \"head\" 3: the run has 2 heads, expected 1 to 2");
  }
  const Lesson fine = parse_lesson(
      head + R"({"title": "u", "run": {"heads": 2, "multihead": "split", "head": 2}, "show": ["weights"]}]})", "ok.json");
  EXPECT_NO_THROW(run_lesson(fine));
}

// Every bundled lesson loads, renders, and its claims hold.
// A step's run, computed here from its settings (not by run_lesson()).
Trace trace_of_step(const LessonStep& step) {
  if (step.settings.model.empty()) return explore(step.settings.request, load_table(test::bundled(step.settings.embeddings)));
  ModelRequest request;
  request.sentence = step.settings.request.sentence;
  request.layer = step.settings.layer;
  request.positions = step.settings.model_positions != Positions::none;
  return explore(request, Model::open(step.settings.model, step.settings.snapshot));
}

TEST(BundledLessons, RunAndTheirClaimsHold) {
  const std::vector<Lesson> lessons = load_lessons();
  for (const char* required : {"journey", "how-are-you", "making", "it-ball", "fed-the-dog", "workshop"}) {
    EXPECT_NO_THROW(find_lesson(lessons, required)) << required;
  }
  for (const Lesson& lesson : lessons) {
    EXPECT_EQ(std::filesystem::path(lesson.path).stem().string(), lesson.name);
    std::vector<std::string> pages;
    ASSERT_NO_THROW(pages = render_lesson(lesson, run_lesson(lesson), LessonOptions{})) << lesson.name;
    EXPECT_EQ(pages.size(), lesson.steps.size() + 1) << lesson.name;
    for (const LessonStep& step : lesson.steps) {
      if (!step.expect) continue;
      if (step.expect->same_weights_as || step.expect->other_weights_than) {
        // the token's weights by key word, here and in the step the claim names
        const bool same = step.expect->same_weights_as.has_value();
        const LessonStep& other = lesson.steps.at(*(same ? step.expect->same_weights_as : step.expect->other_weights_than) - 1);
        const auto by_word = [&](const LessonStep& s) {
          const Trace t = trace_of_step(s);
          std::map<std::string, float> row;
          const std::size_t i = find_focus(t, step.expect->token);
          for (std::size_t j = 0; j < t.tokens.size(); ++j) row[t.tokens[j]] = t.heads.at(s.settings.head - 1).attn_weights(i, j);
          return row;
        };
        const std::map<std::string, float> here = by_word(step), there = by_word(other);
        float largest = 0.0f;
        for (const auto& [word, w] : here) largest = std::max(largest, std::fabs(w - there.at(word)));
        if (same) EXPECT_LE(largest, 1e-6f) << lesson.name << ": " << step.title;
        else EXPECT_GE(largest, 1e-3f) << lesson.name << ": " << step.title;
        continue;
      }
      const Trace t = trace_of_step(step);
      if (step.expect->largest_weight_below) {
        const Matrix& w = t.heads.at(step.settings.head - 1).attn_weights;
        const std::size_t i = find_focus(t, step.expect->token);
        for (std::size_t j = 0; j < t.tokens.size(); ++j) EXPECT_LT(w(i, j), *step.expect->largest_weight_below) << lesson.name;
        continue;
      }
      // A model's step: its block and head, the claim's key with or without the leading "·".
      const std::string key = attends_most_to(t, step.expect->token, step.settings.head - 1);
      EXPECT_TRUE(key == step.expect->attends_most_to || key == "·" + step.expect->attends_most_to)
          << lesson.name << ": " << step.title << ": " << key;
    }
  }
}

TEST(BundledLessons, UnknownNameListsTheLessons) {
  const std::vector<Lesson> lessons = load_lessons();
  try {
    find_lesson(lessons, "nope");
    ADD_FAILURE();
  } catch (const UsageError& e) {
    EXPECT_NE(e.hint().find("journey"), std::string::npos);
  }
}

}  // namespace
}  // namespace attn

namespace attn {
namespace {

TEST(Lesson, SettingsTheEngineRefusesNameTheStep) {
  const Lesson l = parse_lesson(R"({"name": "b", "title": "B", "source": "s", "summary": "s",
    "run": {"sentence": "How are you"}, "steps": [{"title": "t"}, {"title": "u", "run": {"heads": 4, "multihead": "split"},
    "show": ["weights"]}]})",
                                "bad.json");
  try {
    render_lesson(l, run_lesson(l), LessonOptions{});
    ADD_FAILURE();
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("bad.json: step 2: ", 0), 0u) << e.what();
  }
}

TEST(Lesson, ADropoutSeedWithoutDropoutIsLeftOutOfTheCommand) {
  LessonStep s;
  s.settings.request.sentence = "a b";
  s.settings.request.dropout_seed = 123;
  s.show = {Stage::weights};
  EXPECT_EQ(command_for(s), "attn-explain --stages weights \"a b\"");
  s.settings.request.dropout = 0.5;
  EXPECT_EQ(command_for(s), "attn-explain --dropout 0.5 --dropout-seed 123 --stages weights \"a b\"");
}

// Issue 25.4: a model a lesson names in every step is opened once. The model's
// folder is gone after the first run, so a second open would fail.
TEST(Lesson, AModelIsOpenedOncePerProcess) {
  namespace fs = std::filesystem;
  const fs::path folder = fs::temp_directory_path() / ("attn-open-once-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::copy(test::bundled("models/demo"), folder);
  RunSettings settings;
  settings.model = folder.string();
  settings.request.sentence = "The dog chased the ball.";
  const Trace first = model_trace(settings);
  fs::remove_all(folder);
  settings.layer = 2;
  const Trace second = model_trace(settings);
  EXPECT_EQ(second.layer, 2u);
  EXPECT_EQ(second.tokens, first.tokens);
}

}  // namespace
}  // namespace attn

namespace attn {
namespace {

// "largest_weight_below": every weight of the row is below the bound, strictly; the message names the largest.
TEST(LessonClaims, LargestWeightBelowReadsTheWholeRow) {
  Lesson lesson = parse_lesson(R"({"name": "c", "title": "C", "source": "s", "summary": "s",
    "run": {"sentence": "How are you doing?"},
    "steps": [{"title": "t", "show": ["weights"], "expect": {"token": "you", "largest_weight_below": 0.01}}]})",
                               "c.json");
  const std::vector<StepRun> runs = run_lesson(lesson);
  const Trace& t = *runs[0].trace;
  const std::size_t row = find_focus(t, "you");
  float largest = 0.0f;
  for (std::size_t j = 0; j < t.tokens.size(); ++j) largest = std::max(largest, t.heads[0].attn_weights(row, j));
  const std::optional<std::string> claim = first_false_claim(lesson, runs);
  ASSERT_TRUE(claim.has_value());
  EXPECT_NE(claim->find(fmt::format("the largest weight of \"you\" is {:.4f}", largest)), std::string::npos) << *claim;
  lesson.steps[0].expect->largest_weight_below = largest;  // not below itself
  EXPECT_TRUE(first_false_claim(lesson, runs).has_value());
  lesson.steps[0].expect->largest_weight_below = std::nextafter(static_cast<double>(largest), 2.0);
  EXPECT_FALSE(first_false_claim(lesson, runs).has_value());
  EXPECT_THROW(parse_lesson(R"({"name": "c", "title": "C", "source": "s", "summary": "s", "run": {"sentence": "x"},
    "steps": [{"title": "t", "show": ["weights"], "expect": {"token": "x", "largest_weight_below": 1.5}}]})",
                            "c.json"),
               DataError);
}

}  // namespace
}  // namespace attn
