#include "sliding_buffer.hpp"

#include <cstring>

namespace attn {

SlidingBuffer::SlidingBuffer(ByteSource& source, ReadProgress progress)
    : source_(source), progress_(std::move(progress)), buffer_(kChunk) {}

bool SlidingBuffer::fill() {
  const std::size_t kept = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, kept);
    begin_ = 0;
    end_ = kept;
  }
  // Room for a whole chunk after what is kept: the buffer grows only when one
  // stretch (a line, a record) fills most of it.
  if (buffer_.size() - end_ < kChunk / 2) buffer_.resize(end_ + kChunk);
  const std::size_t got = source_.read(buffer_.data() + end_, buffer_.size() - end_);
  end_ += got;
  read_ += got;
  if (progress_ && got > 0) progress_(read_, source_.size());
  return got > 0;
}

}  // namespace attn
