// byte_source.hpp: bytes read in chunks, from a file or from memory, so that a
// file of any size can be scanned in bounded memory.
//
// Promises:
//   - open_file_source() fails as read_text_file() does (no such file, a
//     directory, cannot open), with DataError naming the file; a read error
//     later is DataError "<file>: cannot read: <reason>".
//   - read() returns 0 only at the end, and never more than asked for.
//   - size() is the file's size when it is a regular file, else 0 (a pipe).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace attn {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `n` bytes into `dst`; 0 at the end. Throws DataError.
  virtual std::size_t read(char* dst, std::size_t n) = 0;
  virtual std::uint64_t size() const = 0;
};

// A file opened for reading (a regular file, a pipe, a FIFO).
std::unique_ptr<ByteSource> open_file_source(const std::filesystem::path& path);

// Bytes in memory. REQUIRES: `bytes` outlives the source.
std::unique_ptr<ByteSource> memory_source(std::string_view bytes);

}  // namespace attn
