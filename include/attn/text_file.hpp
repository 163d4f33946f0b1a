// text_file.hpp: reading a whole input file, with errors that name it.
#pragma once

#include <filesystem>
#include <string>

namespace attn {

// The bytes of `path`. Throws DataError naming the file when it is missing,
// a directory, or unreadable.
std::string read_text_file(const std::filesystem::path& path);

// "line L, column C" of a byte offset, both 1-based, counting columns in bytes.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};
TextPosition position_of(const std::string& text, std::size_t byte_offset);

}  // namespace attn
