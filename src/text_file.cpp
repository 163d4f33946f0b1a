#include "attn/text_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
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
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) {
    throw DataError(path.string() + ": cannot read: " + std::strerror(errno));
  }
  return std::move(bytes).str();
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
