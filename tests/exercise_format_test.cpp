// Exercises: the format's errors naming the file, answer kinds and finding an
// exercise, and every bundled exercise accepting its answer and refusing wrong ones.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/teach/exercise.hpp"
#include "attn/explorer.hpp"
#include "attn/render/render_focus.hpp"
#include "answers.hpp"
#include "test_util.hpp"
#include "exercise_testing.hpp"
#include "attn/teach/answer_read.hpp"
#include "attn/teach/answer_compare.hpp"

namespace attn {
namespace {

using test::num;
using test::tok;
using test::vec;

// ───────────────────────────── the format ─────────────────────────────

void expect_refused(const std::string& text, const std::string& needle) {
  try {
    parse_exercise(text, "bad.json");
    ADD_FAILURE() << "accepted: " << text;
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("bad.json", 0), 0u) << e.what();
  }
}

TEST(ExerciseFormat, ReadsEveryField) {
  const Exercise ex = parse_exercise(R"({"$schema": "x", "id": "dot-product", "title": "One dot product", "topic": "scores",
    "difficulty": 2, "order": 7, "source": "Raschka, ch. 3.3.1",
    "run": {"sentence": "Your journey starts with one step", "embeddings": "journey.json", "projection": "none", "scale": false},
    "task": ["first", "", "second"], "show": ["inputs", "scores"],
    "ask": {"quantity": "score", "token": "journey", "key": 1}, "decimals": 3, "tolerance": 0.001, "hints": ["a", "b"]})",
                                     "dot-product.json");
  EXPECT_EQ(ex.id, "dot-product");
  EXPECT_EQ(ex.title, "One dot product");
  EXPECT_EQ(ex.topic, "scores");
  EXPECT_EQ(ex.source, "Raschka, ch. 3.3.1");
  EXPECT_EQ(ex.difficulty, 2);
  EXPECT_EQ(ex.order, 7);
  EXPECT_EQ(ex.settings.embeddings, "journey.json");
  EXPECT_EQ(ex.settings.request.projection, Projection::none);
  EXPECT_FALSE(ex.settings.request.scale);
  EXPECT_EQ(ex.task, (std::vector<std::string>{"first", "", "second"}));
  EXPECT_EQ(ex.show, (std::vector<Stage>{Stage::inputs, Stage::scores}));
  EXPECT_EQ(ex.ask.quantity, Quantity::score);
  EXPECT_EQ(ex.ask.token, "journey");
  EXPECT_EQ(ex.ask.key, "1");
  EXPECT_EQ(ex.decimals, 3);
  EXPECT_EQ(ex.tolerance, 0.001);
  EXPECT_EQ(ex.hints.size(), 2u);
  EXPECT_EQ(ex.path, "dot-product.json");
  // Defaults.
  const Exercise d = make(kSimplified, R"({"quantity": "scale_divisor"})");
  EXPECT_EQ(d.decimals, 4);
  EXPECT_EQ(d.tolerance, 0.5e-4);  // half a unit of the fourth decimal
  EXPECT_EQ(d.difficulty, 1);
  EXPECT_EQ(d.order, 0);
  EXPECT_TRUE(d.show.empty());
}

TEST(ExerciseFormat, RefusesBrokenFilesNamingThem) {
  const std::string ask = R"({"quantity": "score", "token": "journey", "key": "Your"})";
  expect_refused(exercise_text(kSimplified, ask, R"(, "colour": 1)"), "unknown key \"colour\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "score", "token": "a", "key": "b", "row": 1})"),
                 "\"ask\": unknown key \"row\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "magic"})"), "\"quantity\" is \"magic\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": 3})"), "\"quantity\" is a number");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "score", "token": "journey"})"),
                 "quantity \"score\" needs a \"key\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "weight", "key": "Your"})"),
                 "quantity \"weight\" needs a \"token\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "weights", "token": "journey", "key": "Your"})"),
                 "\"key\" is not used by quantity \"weights\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "scale_divisor", "token": "journey"})"),
                 "\"token\" is not used by quantity \"scale_divisor\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "weights", "token": "journey", "d_in": 3})"),
                 "\"d_in\" is only used by quantity \"parameter_count\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "weights", "token": 0})"), "\"token\" is 0");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "weights", "token": ""})"), "\"token\" is an empty string");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "weights", "token": ["a"]})"), "\"token\" is an array");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "parameter_count", "d_out": 2})"), "\"d_in\" is missing");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "parameter_count", "d_in": 3, "d_out": 10, "heads": 3, "multihead": "split"})"),
                 "multiple of \"heads\"");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "parameter_count", "d_in": 3, "d_out": 2, "multihead": "x"})"),
                 "\"multihead\" is \"x\"");
  expect_refused(exercise_text(kSimplified, ask, R"(, "tolerance": "small")"), "\"tolerance\" is a string");
  expect_refused(exercise_text(kSimplified, ask, R"(, "tolerance": -1)"), "\"tolerance\" is -1");
  expect_refused(exercise_text(kSimplified, ask, R"(, "decimals": 10)"), "\"decimals\" is 10, expected 0 to 9");
  expect_refused(exercise_text(kSimplified, ask, R"(, "decimals": 2.5)"), "\"decimals\" is");
  expect_refused(exercise_text(kSimplified, ask, R"(, "difficulty": 4)"), "\"difficulty\" is 4");
  expect_refused(exercise_text(kSimplified, ask, R"(, "show": ["scorez"])"), "\"show\" names \"scorez\"");
  expect_refused(exercise_text(kSimplified, ask, R"(, "show": "scores")"), "\"show\" is a string");
  expect_refused(R"({"id": "t", "title": "T", "topic": "x", "source": "s", "run": {"sentence": "a b"}, "task": ["t"],
    "ask": {"quantity": "scale_divisor"}, "hints": []})",
                 "\"hints\" is empty");
  expect_refused(R"({"id": "t", "title": "T", "topic": "x", "source": "s", "run": {"sentence": "a b"}, "task": ["t"],
    "ask": {"quantity": "scale_divisor"}, "hints": ["ok", " "]})",
                 "hint 2 is empty");
  expect_refused(R"({"id": "t", "title": "T", "topic": "x", "source": "s", "run": {"sentence": "a b"}, "task": ["t"],
    "ask": {"quantity": "scale_divisor"}, "hints": "one"})",
                 "\"hints\" is a string");
  expect_refused(R"({"id": "t", "title": "T", "topic": "x", "source": "s", "run": {"sentence": "a b"}, "task": [],
    "ask": {"quantity": "scale_divisor"}, "hints": ["h"]})",
                 "\"task\" is empty");
  expect_refused(R"({"id": "t", "title": "T", "topic": "x", "source": "s", "run": {"sentence": "a b"}, "task": ["t"],
    "hints": ["h"]})",
                 "\"ask\" is missing");
  expect_refused(R"({"id": "t", "title": "T", "topic": "x", "source": "s", "task": ["t"],
    "ask": {"quantity": "weights", "token": "a"}, "hints": ["h"]})",
                 "quantity \"weights\" needs a \"run\" with a \"sentence\"");
  expect_refused(exercise_text(R"({"sentence": "a b", "dropout": 1.5})", ask), "\"dropout\" is 1.5");
  expect_refused(exercise_text(R"({"sentence": "a b", "heads": "two"})", ask), "\"heads\" is a string");
  expect_refused(exercise_text(kSimplified, R"({"quantity": "dropout_scale"})"), "\"dropout\" above 0");
  expect_refused(R"({"id": "12", "title": "T", "topic": "x", "source": "s", "task": ["t"],
    "ask": {"quantity": "parameter_count", "d_in": 1, "d_out": 1}, "hints": ["h"]})",
                 "\"id\" is \"12\"");
  expect_refused(R"({"id": "a b", "title": "T"})", "\"id\" is \"a b\"");
  expect_refused(R"({"id": "t", "id": "u"})", "duplicate key \"id\"");
  expect_refused(R"({"id": "t",)", "bad.json:1:");
  expect_refused(R"([1, 2])", "expected an object");
}

TEST(ExerciseFormat, TheIdMustBeTheFileName) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "attn-exercise-test";
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "other.json";
  std::ofstream(file) << exercise_text(kSimplified, R"({"quantity": "scale_divisor"})");
  try {
    load_exercise(file);
    ADD_FAILURE() << "accepted an id that is not the file name";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(file.string(), 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("\"id\" is \"t\", expected the file's name, \"other\""), std::string::npos)
        << e.what();
  }
  const std::filesystem::path good = dir / "t.json";
  std::ofstream(good) << exercise_text(kSimplified, R"({"quantity": "scale_divisor"})");
  EXPECT_EQ(load_exercise(good).path, good.string());
  std::filesystem::remove_all(dir);
}

void expect_unsolvable(const Exercise& ex, const std::string& needle, const std::string& hint_needle = "") {
  try {
    solve(ex);
    ADD_FAILURE() << "solved";
  } catch (const DataError& e) {
    // As the CLI prints it: an engine error's request keys, kept through the wrapping, as options.
    const std::string shown = name_keys(e.message(), [](std::string_view key) { return "--" + std::string(key); });
    EXPECT_EQ(shown.rfind("t.json: ", 0), 0u) << shown;
    EXPECT_NE(shown.find(needle), std::string::npos) << shown;
    EXPECT_NE(e.hint().find(hint_needle), std::string::npos) << e.hint();
  }
  EXPECT_THROW(check(ex, num(1)), DataError);
  EXPECT_THROW(mistakes_of(ex), DataError);
}

TEST(ExerciseFormat, TokensAndRunsAreCheckedWhenSolved) {
  expect_unsolvable(make(kSimplified, R"({"quantity": "weights", "token": "cat"})"),
                    "\"ask\": \"token\" is \"cat\", which is not a token of the sentence", "journey");
  expect_unsolvable(make(kSimplified, R"({"quantity": "score", "token": "journey", "key": 9})"),
                    "\"key\" is 9, but the sentence has 6 tokens");
  expect_unsolvable(make("{" + kJourney + R"(, "projection": "rand", "d_out": 3, "heads": 2, "multihead": "split"})",
                         R"({"quantity": "scale_divisor"})"),
                    "--heads 2");
  expect_unsolvable(make(R"({"sentence": "a b", "embeddings": "no-such-table.json"})", R"({"quantity": "scale_divisor"})"),
                    "no-such-table.json");
}

TEST(ExerciseFormat, AnswerKinds) {
  EXPECT_EQ(answer_kind("score"), Kind::number);
  EXPECT_EQ(answer_kind("weights"), Kind::vector);
  EXPECT_EQ(answer_kind("output_shape"), Kind::vector);
  EXPECT_EQ(answer_kind("attends_most"), Kind::token);
  EXPECT_EQ(answer_kind("parameter_count"), Kind::number);
  EXPECT_THROW(answer_kind("magic"), UsageError);
  // Each quantity's solved answer has the kind it announces.
  for (const char* q : {"scores", "weights", "context", "query", "output"}) {
    EXPECT_EQ(solve(make(kTrainable, fmt::format(R"({{"quantity": "{}", "token": "journey"}})", q))).kind, answer_kind(q)) << q;
  }
}

TEST(ExerciseFormat, FindByIdOrPosition) {
  std::vector<Exercise> list;
  for (const char* id : {"first", "second"}) {
    list.push_back(parse_exercise(exercise_text(kSimplified, R"({"quantity": "scale_divisor"})").replace(8, 1, id), "x.json"));
  }
  ASSERT_EQ(list[1].id, "second");
  EXPECT_EQ(&find_exercise(list, "second"), &list[1]);
  EXPECT_EQ(&find_exercise(list, "1"), &list[0]);
  EXPECT_EQ(&find_exercise(list, "2"), &list[1]);
  for (const char* bad : {"third", "0", "3", "99999999999"}) {
    try {
      find_exercise(list, bad);
      ADD_FAILURE() << bad;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
      EXPECT_EQ(e.hint(), "exercises: first, second");
    }
  }
}

// ───────────────────────────── the bundled exercises ─────────────────────────────

// A wrong answer of the same kind: the value + 1, or another token of the sentence.
Answer clearly_wrong(const Exercise& ex, const Answer& correct) {
  Answer wrong = correct;
  if (correct.kind == Kind::number) wrong.number += 1.0;
  if (correct.kind == Kind::vector) wrong.vector.at(0) += 1.0;
  if (correct.kind == Kind::token) {
    Request r = ex.settings.request;
    const Trace t = explore(r, load_table(test::bundled(ex.settings.embeddings)));
    for (const std::string& other : t.tokens) {
      if (!answers_match(tok(other), correct, 0)) {
        wrong.token = other;
        break;
      }
    }
  }
  return wrong;
}

TEST(BundledExercises, AcceptTheirOwnAnswerAndRefuseWrongOnes) {
  const std::vector<Exercise> exercises = load_exercises();
  ASSERT_GE(exercises.size(), 15u);
  std::set<Quantity> quantities;
  for (const Exercise& ex : exercises) {
    SCOPED_TRACE(ex.id);
    EXPECT_EQ(std::filesystem::path(ex.path).stem().string(), ex.id);
    quantities.insert(ex.ask.quantity);
    Answer correct;
    ASSERT_NO_THROW(correct = solve(ex));
    EXPECT_EQ(correct.kind, answer_kind(ex.ask.quantity));
    // What the solution prints, typed back, is right.
    const Answer typed = parse_answer(format_answer(correct, 4), answer_kind(ex.ask.quantity));
    const Verdict right = check(ex, typed);
    EXPECT_TRUE(right.correct) << format_answer(correct, 4);
    EXPECT_TRUE(answers_match(right.expected, correct, 0.0));
    // A clearly wrong one is refused, with something to say.
    const Answer wrong = clearly_wrong(ex, correct);
    const Verdict v = check(ex, wrong);
    EXPECT_FALSE(v.correct) << format_answer(wrong, 4);
    EXPECT_FALSE(v.nudge.empty());
    // And every usual mistake is recognised as itself.
    expect_variants_named(ex);
  }
  EXPECT_GE(quantities.size(), 2u);
}

TEST(BundledExercises, UnknownIdListsThem) {
  const std::vector<Exercise> exercises = load_exercises();
  try {
    find_exercise(exercises, "nope");
    ADD_FAILURE();
  } catch (const UsageError& e) {
    for (const Exercise& ex : exercises) EXPECT_NE(e.hint().find(ex.id), std::string::npos) << ex.id;
  }
}

}  // namespace
}  // namespace attn
