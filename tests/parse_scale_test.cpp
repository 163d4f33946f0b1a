// Reading JSON takes time linear in the input (issue 23, item 13): the inputs
// here hold hundreds of thousands of small objects side by side, as a hostile
// or merely large table, progress file or safetensors header may.
//
// How this fails without a wall-clock threshold: nlohmann's parser with a
// callback (which every reader here uses, for duplicate keys and depth) walked
// the whole enclosing object or array each time an object closed, n²/2 steps
// for n objects: 40,000 objects in an object took 4 minutes, 100,000 in an
// array 3 seconds. The sizes below (5 to 16 times as many) would take from a
// quarter of an hour to hours; the linear reader takes a second or two for
// each. tests/CMakeLists.txt gives these tests a ctest TIMEOUT of 120 seconds:
// room for a loaded machine or a sanitizer build, hopeless for the quadratic
// reader (each of them, run on it, was killed at 120 s). Each test first reads
// an eighth (or a sixteenth) of its input, and records both times.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/util/json_file.hpp"
#include "attn/teach/progress.hpp"
#include "attn/util/safetensors.hpp"

namespace attn {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kObjects = 400'000;  // a 5 MB document; 8 times the small size below

// An array's step is cheaper than an object's (a vector, not a tree, is walked):
// 100,000 objects in an array took 3 s, so the array tests take more of them.
constexpr std::size_t kObjectsInArray = 1'600'000;  // a 5 MB document

// "[{},{},...]": n empty objects in an array.
std::string objects_in_array(std::size_t n) {
  std::string s = "[";
  for (std::size_t i = 0; i < n; ++i) s += i ? ",{}" : "{}";
  return s + "]";
}

// {"e0":{"k":0},"e1":{"k":1},...}: n small objects in an object.
std::string objects_in_object(std::size_t n) {
  std::string s = "{";
  for (std::size_t i = 0; i < n; ++i) s += fmt::format("{}\"e{}\":{{\"k\":{}}}", i ? "," : "", i, i);
  return s + "}";
}

// A progress file of n exercises.
std::string progress_text(std::size_t n) {
  std::string s = R"({"version": 1, "exercises": {)";
  for (std::size_t i = 0; i < n; ++i) {
    s += fmt::format(R"({}"ex{}": {{"solved": true, "hints": 1, "attempts": 2}})", i ? ", " : "", i);
  }
  return s + "}}";
}

// A safetensors header of n one-float tensors, side by side in the data.
std::string header_text(std::size_t n) {
  std::string s = "{";
  for (std::size_t i = 0; i < n; ++i) {
    s += fmt::format(R"({}"t{}":{{"dtype":"F32","shape":[1],"data_offsets":[{},{}]}})", i ? "," : "", i, 4 * i,
                     4 * i + 4);
  }
  return s + "}";
}

// A folder of its own for the test's files, removed afterwards.
class ScaleDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt::format("attn-parse-scale-{}", ::getpid());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// For the failure log: how long one read took.
template <class Read>
double seconds(Read read) {
  const auto start = std::chrono::steady_clock::now();
  read();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(ParseScale, ObjectsInAnArrayOfADocument) {
  for (const std::size_t n : {kObjectsInArray / 8, kObjectsInArray}) {
    const std::string text = objects_in_array(n);
    nlohmann::json j;
    const double s = seconds([&] { j = parse_json_document(text, "big.json", 16); });
    ASSERT_EQ(j.size(), n) << s << " s";
    EXPECT_EQ(j.back(), nlohmann::json::object());
    RecordProperty(fmt::format("seconds_{}", n), fmt::format("{:.3f}", s));
  }
}

TEST(ParseScale, ObjectsInAnObjectOfADocument) {
  for (const std::size_t n : {kObjects / 8, kObjects}) {
    const std::string text = objects_in_object(n);
    nlohmann::json j;
    const double s = seconds([&] { j = parse_json_document(text, "big.json", 16); });
    ASSERT_EQ(j.size(), n) << s << " s";
    RecordProperty(fmt::format("seconds_{}", n), fmt::format("{:.3f}", s));
  }
}

// The table reader parses the whole document before it looks at the keys.
TEST(ParseScale, TableWithManyObjectsIsRefusedAfterALinearRead) {
  for (const std::size_t n : {kObjectsInArray / 8, kObjectsInArray}) {
    const std::string text = R"({"dim": 2, "vectors": {"a": [1, 2]}, "extra": )" + objects_in_array(n) + "}";
    const double s = seconds([&] {
      try {
        parse_table(text, "big.json");
        ADD_FAILURE() << "not refused";
      } catch (const DataError& e) {
        EXPECT_STREQ(e.what(), "big.json: unknown key \"extra\"");
      }
    });
    RecordProperty(fmt::format("seconds_{}", n), fmt::format("{:.3f}", s));
  }
  const std::string vectors = R"({"dim": 2, "vectors": )" + objects_in_object(kObjects) + "}";
  EXPECT_THROW(parse_table(vectors, "big.json"), DataError);
}

TEST_F(ScaleDir, ProgressOfManyExercises) {
  for (const std::size_t n : {kObjects / 16, kObjects / 2}) {
    const fs::path path = dir_ / "progress.json";
    std::ofstream(path) << progress_text(n);
    std::string note;
    Progress p;
    const double s = seconds([&] { p = load_progress(path, note); });
    EXPECT_EQ(note, "");
    ASSERT_EQ(p.exercises.size(), n) << s << " s";
    EXPECT_EQ(p.exercises.at("ex7").attempts, 2);
    RecordProperty(fmt::format("seconds_{}", n), fmt::format("{:.3f}", s));
  }
}

TEST(ParseScale, SafetensorsHeaderOfManyTensors) {
  for (const std::size_t n : {kObjects / 16, kObjects / 2}) {
    const std::string header = header_text(n);
    std::vector<TensorInfo> tensors;
    const double s = seconds([&] { tensors = parse_safetensors_header(header, 4 * n, "big.safetensors"); });
    ASSERT_EQ(tensors.size(), n) << s << " s";
    RecordProperty(fmt::format("seconds_{}", n), fmt::format("{:.3f}", s));
  }
}

// The builder behind the linear reader gives the callback nlohmann's events:
// what a callback discards is left out, the rest is the same document.
TEST(ParseScale, DiscardingCallbackGivesWhatNlohmannGives) {
  const std::string text =
      R"({"keep": [1, {"drop": 2, "k": 3}, [4, {"drop": {}}], "s"], "drop": [5], "o": {"drop": {"x": 1}, "y": null},)"
      R"( "gone": {"a": 1}, "list": [{"gone": true}, {"a": 2}]})";
  const nlohmann::json::parser_callback_t callback = [](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    if (event == nlohmann::json::parse_event_t::key) return parsed != "drop";
    if (event == nlohmann::json::parse_event_t::object_end) {
      return (!parsed.contains("gone") && !parsed.contains("a")) || parsed.value("a", 0) == 2;
    }
    if (event == nlohmann::json::parse_event_t::value) return parsed != 4;
    return true;
  };
  const nlohmann::json ours = parse_with_callback(text, callback);
  EXPECT_EQ(ours, nlohmann::json::parse(
                      R"({"keep": [1, {"k": 3}, [{}], "s"], "o": {"y": null}, "list": [{"a": 2}]})"));
  EXPECT_EQ(ours, nlohmann::json::parse(text, callback));
  EXPECT_EQ(parse_with_callback("[1, 2]", nullptr), nlohmann::json::parse("[1, 2]"));
  EXPECT_THROW(parse_with_callback("[1, 2", callback), nlohmann::json::parse_error);
  EXPECT_THROW(parse_with_callback("[1e400]", callback), nlohmann::json::out_of_range);
}

}  // namespace
}  // namespace attn
