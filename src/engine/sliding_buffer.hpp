// sliding_buffer.hpp: a window over a ByteSource that a scanner consumes from
// the front and refills at the back, in chunks of kChunk bytes.
//
// Promises: the bytes not yet consumed stay in the window, in order, across
// fill(); the window grows (doubling) only while a single unconsumed stretch
// (one line, one record) fills it, so to at most twice the longest stretch the
// scanners accept (kLongestVectorLine), or kChunk for a big source and a little
// more than its size for a small one;
// the progress callback, when set, is told the bytes read after every chunk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "attn/word_vectors.hpp"
#include "attn/util/byte_source.hpp"

namespace attn {

class SlidingBuffer {
 public:
  static constexpr std::size_t kChunk = std::size_t{1} << 20;

  SlidingBuffer(ByteSource& source, ReadProgress progress);

  const char* begin() const { return buffer_.data() + begin_; }
  const char* end() const { return buffer_.data() + end_; }
  std::size_t size() const { return end_ - begin_; }

  // Drops the bytes before `p`. REQUIRES: begin() ≤ p ≤ end().
  void consume_to(const char* p) { begin_ = static_cast<std::size_t>(p - buffer_.data()); }

  // Reads more bytes after end(); false when the source has none left. The
  // unconsumed bytes may move (pointers into the window are then stale).
  bool fill();

  std::uint64_t bytes_read() const { return read_; }

 private:
  ByteSource& source_;
  ReadProgress progress_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::uint64_t read_ = 0;
};

}  // namespace attn
