// atomic_file.hpp: writing an output file all at once or not at all.
//
// write_file_atomically() writes the content to a temporary file beside the
// target, flushes it to disk and renames it over the target. A reader sees the
// old file or the whole new one, never a half-written one; when anything fails
// the target is left as it was, the temporary file is removed, and DataError
// names the file and the reason. A symbolic link is followed (the file it
// points to is replaced); a target that exists but is not a regular file (a
// FIFO, a device such as /dev/null) is refused, never replaced.
#pragma once

#include <filesystem>
#include <string_view>

namespace attn {

void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace attn
