// output.hpp: results onto standard output, or an error saying they did not get there.
#pragma once

#include <string_view>

namespace attn {

// Writes `text` to stdout and flushes it. Throws DataError ("cannot write to
// standard output: <reason>") when any byte could not be written, e.g. into
// a full disk or /dev/full, so that a lost result never exits 0; and
// ReaderGone when the reader of a pipe has stopped reading (`| head -1`).
// REQUIRES: SIGPIPE ignored (run_cli does it), else the process dies of it first.
void write_stdout(std::string_view text);

// The reader of stdout closed the pipe: it has read all it wanted. The run
// ends quietly with exit status 0, as `head`'s other writers do.
struct ReaderGone {};

}  // namespace attn
