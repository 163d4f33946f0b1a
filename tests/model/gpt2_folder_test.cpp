// A GPT-2 folder's files before any weight is read (issue 23): config.json is
// read like every other JSON file (a key twice is refused, not "the last wins"),
// and a symbolic link in a file's place that loops or leads nowhere is said to
// be so, not "missing". The folders here hold only what each check reaches.
#include "gpt2_checkpoint.hpp"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "attn/util/error.hpp"

namespace attn {
namespace {

namespace fs = std::filesystem;

class Gpt2Folder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("attn-gpt2-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const char* name : {"config.json", "model.safetensors", "vocab.json", "merges.txt"}) write(name, "");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name, std::ios::binary) << text; }

  // The message of the DataError load_gpt2_checkpoint() throws, or "" when none.
  std::string refusal() {
    try {
      load_gpt2_checkpoint(dir_);
    } catch (const DataError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(Gpt2Folder, ConfigWithAKeyTwiceIsRefused) {
  write("config.json", R"({"n_layer": 1, "n_head": 1, "n_embd": 4, "n_positions": 8, "vocab_size": 256, "n_head": 2})");
  EXPECT_EQ(refusal(), (dir_ / "config.json").string() + ": duplicate key \"n_head\"");
}

TEST_F(Gpt2Folder, SymbolicLinkLoopIsNotMissing) {
  fs::remove(dir_ / "model.safetensors");
  fs::create_symlink("model.safetensors", dir_ / "model.safetensors");
  EXPECT_EQ(refusal(), (dir_ / "model.safetensors").string() + ": too many levels of symbolic links (a loop?)");
  fs::remove(dir_ / "config.json");
  fs::create_symlink("other.json", dir_ / "config.json");
  fs::create_symlink("config.json", dir_ / "other.json");
  EXPECT_EQ(refusal(), (dir_ / "config.json").string() + ": too many levels of symbolic links (a loop?)");
}

TEST_F(Gpt2Folder, DanglingSymbolicLinkIsSaidToBeOne) {
  fs::remove(dir_ / "vocab.json");
  fs::create_symlink("nowhere.json", dir_ / "vocab.json");
  EXPECT_EQ(refusal(), (dir_ / "vocab.json").string() + ": a symbolic link to a file that does not exist");
}

TEST_F(Gpt2Folder, AMissingFileIsStillMissing) {
  fs::remove(dir_ / "merges.txt");
  EXPECT_EQ(refusal(), dir_.string() +
                           ": missing merges.txt (a GPT-2 folder holds config.json, model.safetensors, vocab.json "
                           "and merges.txt)");
}

}  // namespace
}  // namespace attn
