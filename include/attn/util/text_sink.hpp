// text_sink.hpp: text handed on as it is made, in pieces, rather than held whole.
//
// A TextSink receives a view of each piece of a long output (the JSON trace,
// the tables) as soon as it is made: the CLI's sinks write it to stdout or into
// a --trace file's temporary file, and the string-returning functions
// (trace_json_text, render_sections) collect it. What the pieces add up to does
// not depend on the sink, so the streamed text and the returned string are the
// same bytes. A sink may throw (a full disk, a closed pipe): the writer stops
// there and the exception passes on.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace attn {

using TextSink = std::function<void(std::string_view)>;

// Text gathered into pieces of about kPieceBytes before it goes to its sink: a
// writer appends to text() and calls piece_done() where a piece may end (after a
// matrix row), and flush() when it is done. Nothing is flushed by the destructor.
class SinkBuffer {
 public:
  static constexpr std::size_t kPieceBytes = std::size_t{1} << 16;

  explicit SinkBuffer(TextSink sink) : sink_(std::move(sink)), text_(own_) { own_.reserve(kPieceBytes + kPieceBytes / 4); }
  // Text written straight into `target`, which grows whole: no piece is handed
  // on and flush() does nothing (one copy of a 35 MB trace instead of two).
  explicit SinkBuffer(std::string& target) : text_(target) {}
  SinkBuffer(const SinkBuffer&) = delete;
  SinkBuffer& operator=(const SinkBuffer&) = delete;

  std::string& text() { return text_; }
  void piece_done() {
    if (sink_ && text_.size() >= kPieceBytes) flush();
  }
  void flush() {
    if (!sink_ || text_.empty()) return;
    sink_(text_);
    text_.clear();
  }

 private:
  TextSink sink_;
  std::string own_;     // the pieces' buffer, when there is a sink
  std::string& text_;   // own_, or the target
};

// A sink that appends every piece to `out`.
inline TextSink append_to(std::string& out) {
  return [&out](std::string_view piece) { out.append(piece); };
}

}  // namespace attn
