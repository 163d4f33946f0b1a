#include "sliding_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace attn {

SlidingBuffer::SlidingBuffer(ByteSource& source, ReadProgress progress)
    // A small source gets a small window (the fuzzer reads thousands of tiny ones).
    : source_(source),
      progress_(std::move(progress)),
      buffer_(source.size() > 0 && source.size() < kChunk ? std::max<std::size_t>(source.size() + 1, 4096) : kChunk) {}

bool SlidingBuffer::fill() {
  const std::size_t kept = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, kept);
    begin_ = 0;
    end_ = kept;
  }
  // The window grows only when one stretch (a line, a record) fills all of it.
  if (end_ == buffer_.size()) buffer_.resize(std::max(2 * buffer_.size(), kChunk));
  const std::size_t got = source_.read(buffer_.data() + end_, buffer_.size() - end_);
  end_ += got;
  read_ += got;
  if (progress_ && got > 0) progress_(read_, source_.size());
  return got > 0;
}

}  // namespace attn
