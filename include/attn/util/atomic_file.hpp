// atomic_file.hpp: writing an output file all at once or not at all.
//
// write_file_atomically() writes the content to a temporary file beside the
// target, flushes it to disk and renames it over the target. A reader sees the
// old file or the whole new one, never a half-written one. Promises:
//   - When anything fails, the target is left as it was, the temporary file is
//     removed, and DataError names the file and the reason. So it is when the
//     process is stopped by SIGINT, SIGTERM, SIGHUP or SIGQUIT while writing:
//     the temporary file is removed, then the signal does what it did before.
//     A file beyond the size limit (`ulimit -f`) is a failed write ("File too
//     large"), not death by SIGXFSZ (ignored while writing).
//   - A symbolic link is followed: the regular file it points to is replaced
//     and the link stays. A loop of links is an error naming the file.
//   - "-" is standard output, as in other Unix tools (a file named "-" is "./-").
//   - A name for a descriptor the process already has open (/dev/stdout,
//     /dev/stderr, /dev/fd/N, /proc/self/fd/N) is written through that
//     descriptor, never renamed over: `--trace /dev/stdout >> log.txt` appends
//     to log.txt as the shell set it up. Standard input (/dev/stdin, fd 0) is
//     refused. A closed pipe there is an error like any failed write: the
//     trace that was asked for did not arrive.
//   - A target that exists but is not a regular file (a FIFO, a device such as
//     /dev/null, a socket), or a link into /proc other than the above, is
//     refused, never replaced.
//   - A replaced file keeps its permission bits; a new one gets 0666 less the
//     umask, as any program's output file.
//   - Any file name the target's folder accepts works: the temporary name is
//     shortened when the target's name is near the longest allowed.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>

namespace attn {

void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Whether `path` names standard output: "-", /dev/stdout, /dev/fd/1,
// /proc/self/fd/1, or a symbolic link that leads to one of them. Reads links, no file.
bool names_standard_output(const std::filesystem::path& path);

// The same promises, for content made while it is written: `produce` calls the
// writer it is given with each piece in turn (the temporary file receives each
// at once, so the whole is never held). When `produce` throws, the temporary
// file is removed, the target is left as it was, and the exception passes on.
using ContentWriter = std::function<void(std::string_view)>;
void write_file_atomically(const std::filesystem::path& path, const std::function<void(const ContentWriter&)>& produce);

// The same in two steps, for several outputs of one run that must all be put in
// place or none: the constructor writes the whole content into the temporary
// file (and flushes it), throwing as above when that fails; commit() renames it
// over the target; a StagedFile destroyed without commit() removes its
// temporary file and leaves the target as it was. A name for a descriptor
// (/dev/stdout, ...) is written through at once; its commit() does nothing.
// Signals remove the temporary files of every StagedFile alive.
class StagedFile {
 public:
  StagedFile(const std::filesystem::path& path, const std::function<void(const ContentWriter&)>& produce);
  // Throws DataError ("rename failed") when the rename fails; the temporary file is then removed.
  void commit();
  ~StagedFile();
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace attn
