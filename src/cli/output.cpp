#include "output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "attn/error.hpp"

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

}  // namespace attn
