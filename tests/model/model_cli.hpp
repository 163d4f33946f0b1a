// model_cli.hpp: what the tests of a model run's command line share: the tiny GPT-2
// checkpoint of random weights (2 layers, 4 heads, n_embd 32, 64 positions, the tiny
// vocabulary) that the CTest fixture model_cli_checkpoint makes with
// tests/oracle/make_gpt2_checkpoint.py into ATTN_MODEL_DIR, the fixture that checks it is
// there, and running the binary on it.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../run_binary.hpp"

namespace attn::test::model {

namespace fs = std::filesystem;
using nlohmann::json;

inline constexpr std::size_t kLayers = 2, kHeads = 4;
inline constexpr std::size_t kPositions = 64;
inline const char* const kSentence = "\"The dog chased the ball.\"";

inline const fs::path& model_dir() {
  static const fs::path dir = ATTN_MODEL_DIR;
  return dir;
}

class ModelCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(fs::is_regular_file(model_dir() / "model.safetensors"))
        << model_dir() << " has no checkpoint: run the fixture first (ctest -R model_cli), or "
        << "/usr/bin/python3 tests/oracle/make_gpt2_checkpoint.py " << model_dir().string()
        << " --layers 2 --heads 4 --embd 32 --positions 64 --seed 1 --vocab tiny";
  }
};

// `attn-explain ARGS` in the source tree's top folder (with ATTN_KERNEL=kernel when given;
// "" sets it empty: the best path).
inline Result run(const std::string& args, const char* kernel = nullptr) {
  const fs::path out = scratch() / "out", err = scratch() / "err";
  const std::string env = kernel ? fmt::format("ATTN_KERNEL='{}' ", kernel) : "";
  return run_shell(fmt::format("cd '{}/..' && {}'{}' {} > '{}' 2> '{}' < /dev/null", ATTN_DATA_DIR, env, ATTN_BINARY,
                               args, out.string(), err.string()),
                   out, err);
}

// `attn-explain --model DIR ARGS`.
inline Result run_model(const std::string& args) { return run(fmt::format("--model '{}' {}", model_dir().string(), args)); }

// The run refused the way docs/errors.md says: the exit code, nothing on stdout, an
// error line that says `says`, and at most a hint after it.
inline void expect_refused(const Result& r, int code, const std::string& says) {
  EXPECT_EQ(r.code, code) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("attn-explain: error: ", 0), 0u) << r.err;
  const std::string first = r.err.substr(0, r.err.find('\n'));
  EXPECT_TRUE(has(first, says)) << "expected \"" << says << "\" in: " << r.err;
  EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 3) << r.err;
}

inline std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

inline json trace_of(const std::string& args) {
  const Result r = run_model(args);
  EXPECT_EQ(r.code, 0) << r.err;
  return json::parse(r.out);
}

}  // namespace attn::test::model
