// output.hpp: results onto standard output, or an error saying they did not get there.
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

namespace attn {

// Writes `text` to stdout and flushes it. Throws DataError ("cannot write to
// standard output: <reason>") when any byte could not be written, e.g. into
// a full disk or /dev/full, so that a lost result never exits 0; and
// ReaderGone when the reader of a pipe has stopped reading (`| head -1`).
// REQUIRES: SIGPIPE ignored (run_cli does it), else the process dies of it first.
void write_stdout(std::string_view text);

// Writes an output the user named (--trace, --svg, --html, render's and lesson's
// --html, table extract -o): onto standard output through write_stdout() when
// `path` names it ("-", /dev/stdout), so that a reader that stops early ends the
// run quietly, as with --json; otherwise atomically into the file
// (write_file_atomically: whole or not at all). `produce` calls its writer with
// the pieces of the content in order.
void write_output(const std::filesystem::path& path, std::string_view text);
void write_output(const std::filesystem::path& path,
                  const std::function<void(const std::function<void(std::string_view)>&)>& produce);

// The reader of stdout closed the pipe: it has read all it wanted. The run
// ends quietly with exit status 0, as `head`'s other writers do.
struct ReaderGone {};

}  // namespace attn
