#include "output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "attn/util/atomic_file.hpp"
#include "attn/util/error.hpp"

namespace attn {

void write_stdout(std::string_view text) {
  errno = 0;
  const std::size_t written = std::fwrite(text.data(), 1, text.size(), stdout);
  if (written != text.size() || std::fflush(stdout) != 0 || std::ferror(stdout)) {
    const int err = errno;
    if (err == EPIPE) throw ReaderGone{};
    throw DataError(fmt::format("cannot write to standard output: {}", err ? std::strerror(err) : "write failed"));
  }
}

void write_output(const std::filesystem::path& path, std::string_view text) {
  write_output(path, [text](const std::function<void(std::string_view)>& write) { write(text); });
}

void write_output(const std::filesystem::path& path,
                  const std::function<void(const std::function<void(std::string_view)>&)>& produce) {
  if (names_standard_output(path)) {
    produce([](std::string_view piece) { write_stdout(piece); });
    return;
  }
  write_file_atomically(path, produce);
}

}  // namespace attn
