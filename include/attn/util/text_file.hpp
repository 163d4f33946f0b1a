// text_file.hpp: reading a whole input file, with errors that name it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace attn {

// The largest input file read: a table, lesson or exercise is far smaller, and
// a device such as /dev/zero would otherwise be read until memory runs out.
inline constexpr std::size_t kMaxInputFileBytes = std::size_t{64} << 20;  // 64 MiB

// The bytes of `path`. Throws DataError naming the file when it is missing,
// a directory, unreadable, or longer than kMaxInputFileBytes. A pipe (such as
// bash's <(...)) is read like a file; a named FIFO with no writer reads as
// empty instead of blocking.
std::string read_text_file(const std::filesystem::path& path);

// "line L, column C" of a byte offset, both 1-based, counting columns in bytes.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};
TextPosition position_of(const std::string& text, std::size_t byte_offset);

}  // namespace attn
