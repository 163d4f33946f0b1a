#include "attn/util/text_file.hpp"

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "attn/util/error.hpp"

namespace attn {

std::string read_text_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    throw DataError(path.string() + ": no such file");
  }
  if (std::filesystem::is_directory(status)) {
    throw DataError(path.string() + ": is a directory, not a file");
  }
  // Opened without waiting: a named FIFO that nobody writes to would otherwise
  // block open() for ever. Then reads wait as usual, and a FIFO without a
  // writer reads as empty.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    throw DataError(path.string() + ": cannot open: " + std::strerror(errno));
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      throw DataError(path.string() + ": cannot read: " + std::strerror(err));
    }
    bytes.append(buffer, static_cast<std::size_t>(got));
    if (bytes.size() > kMaxInputFileBytes) {
      ::close(fd);
      throw DataError(path.string() + ": larger than 64 MiB; this is not a file attn-explain reads");
    }
  }
  ::close(fd);
  return bytes;
}

TextPosition position_of(const std::string& text, std::size_t byte_offset) {
  TextPosition pos;
  const std::size_t end = byte_offset < text.size() ? byte_offset : text.size();
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

}  // namespace attn
