// Helpers shared by the tests that run the built binary through the shell
// (cli_test.cpp, bad_input_test.cpp, html_cli_test.cpp, ...): what a run gave,
// files in and out, and the test program's scratch folder.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>  // program_invocation_short_name (glibc)

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

namespace attn::test {

// What one run of the program gave: its exit code and everything it printed.
struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void spit(const std::filesystem::path& p, const std::string& bytes) {
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

inline bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A folder of this test process's own, /tmp/<prefix>-<pid>.
inline std::filesystem::path scratch_folder(const std::string& prefix) {
  std::filesystem::path d = std::filesystem::temp_directory_path() / fmt::format("{}-{}", prefix, ::getpid());
  std::filesystem::create_directories(d);
  return d;
}

// A folder removed, with all it holds, when this object ends.
class ScratchFolder {
 public:
  explicit ScratchFolder(std::filesystem::path path) : path_(std::move(path)) {}
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  ~ScratchFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// This test program's scratch folder, /tmp/attn-<program>-<pid> (cli_tests,
// html_cli_tests, ...), made on first use and removed when the program ends.
inline const std::filesystem::path& scratch() {
  static const ScratchFolder folder(scratch_folder(std::string("attn-") + program_invocation_short_name));
  return folder.path();
}

// Runs a shell command whose stdout and stderr go to the files `out` and `err`
// (an empty path: that stream went elsewhere) and reads back what it gave. A command
// killed by a signal gets 128 + the signal, as the shell reports it.
inline Result run_shell(const std::string& command, const std::filesystem::path& out, const std::filesystem::path& err) {
  const int status = std::system(command.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = out.empty() ? "" : slurp(out);
  r.err = err.empty() ? "" : slurp(err);
  return r;
}

}  // namespace attn::test
