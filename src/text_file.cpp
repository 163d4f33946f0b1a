#include "attn/text_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "attn/error.hpp"

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
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw DataError(path.string() + ": cannot open: " + std::strerror(errno));
  }
  std::string bytes;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > kMaxInputFileBytes) {
      throw DataError(path.string() + ": larger than 64 MiB; this is not a file attn-explain reads");
    }
  }
  if (in.bad()) {
    throw DataError(path.string() + ": cannot read: " + std::strerror(errno));
  }
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
