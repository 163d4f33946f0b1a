#include "atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "attn/error.hpp"

namespace attn {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int err) {
  throw DataError("cannot write " + path.string() + ": " + what + ": " + std::strerror(err));
}

}  // namespace

void write_file_atomically(const std::filesystem::path& given, std::string_view content) {
  namespace fs = std::filesystem;
  if (given.empty()) throw DataError("cannot write a file with an empty name");
  std::error_code ec;
  // A symbolic link is followed: the file it points to is replaced, the link stays.
  const fs::path path = fs::is_symlink(fs::symlink_status(given, ec)) ? fs::weakly_canonical(given, ec) : given;
  const fs::file_status status = fs::status(path, ec);
  if (fs::is_directory(status)) {
    throw DataError("cannot write " + given.string() + ": it is a directory");
  }
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    // Renaming over a FIFO or a device would replace it with a plain file.
    throw DataError("cannot write " + given.string() + ": not a regular file (a device, FIFO or socket)",
                    "give the name of a file; for the trace on standard output use --json");
  }
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::string temp = (dir / fmt::format(".{}.tmp-XXXXXX", path.filename().string())).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) fail(path, "cannot create a temporary file in " + dir.string(), errno);

  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      fail(path, "write failed", err);
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  // mkstemp creates the file 0600; an output file is for reading by others too.
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    fail(path, "flush failed", err);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    fail(path, "rename failed", err);
  }
}

}  // namespace attn
