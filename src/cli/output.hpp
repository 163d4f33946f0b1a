// output.hpp: results onto standard output, or an error saying they did not get there.
#pragma once

#include <string_view>

namespace attn {

// Writes `text` to stdout and flushes it. Throws DataError ("cannot write to
// standard output: <reason>") when any byte could not be written, e.g. into
// a full disk or /dev/full, so that a lost result never exits 0.
void write_stdout(std::string_view text);

}  // namespace attn
