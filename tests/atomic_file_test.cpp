// Output files are written whole or not at all.
#include "atomic_file.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "attn/error.hpp"
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

}  // namespace
}  // namespace attn
