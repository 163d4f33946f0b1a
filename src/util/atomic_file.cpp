#include "attn/util/atomic_file.hpp"

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "attn/util/error.hpp"

namespace attn {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxLinks = 40;                         // as the kernel's own limit on a path's links
constexpr std::string_view kTempSuffix = ".tmp-XXXXXX";  // mkstemp's pattern, after "." + the name

[[noreturn]] void fail(const fs::path& path, const std::string& what, int err) {
  throw DataError("cannot write " + path.string() + ": " + what + ": " + std::strerror(err));
}

// ---- the temporary file, removed when a signal stops the process ----

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
constexpr std::size_t kSlots = 8;                   // temporary files written at once (a run has at most 3)
char g_temps[kSlots][PATH_MAX + 1];                 // the temporary files being written
volatile std::sig_atomic_t g_used[kSlots] = {};     // whether g_temps[i] names one
int g_guards = 0;                                   // guards alive (never read by the handler)
struct sigaction g_previous[std::size(kStopSignals)];

extern "C" void remove_temp_and_raise(int signal) {
  const int saved_errno = errno;  // for a previous handler that returns
  for (std::size_t i = 0; i < kSlots; ++i) {
    if (g_used[i]) ::unlink(g_temps[i]);  // async-signal-safe
  }
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
    if (kStopSignals[i] == signal) ::sigaction(signal, &g_previous[i], nullptr);
  }
  ::raise(signal);  // what the signal did before: usually, end the process
  errno = saved_errno;
}

}  // namespace

// Outside the unnamed namespace: StagedFile::Impl holds one.
namespace atomic_file_detail {

// While any lives, SIGINT, SIGTERM, SIGHUP and SIGQUIT (those not ignored) remove
// the temporary files of all before they take effect. mkstemp runs inside it with
// the signals blocked, so no signal falls between creating a file and noting it.
class TempFileGuard {
 public:
  TempFileGuard() {
    sigset_t stops;
    sigemptyset(&stops);
    for (int s : kStopSignals) sigaddset(&stops, s);
    ::sigprocmask(SIG_BLOCK, &stops, &unblocked_);
    if (g_guards++ > 0) return;  // the handler is in place
    struct sigaction action {};
    action.sa_handler = remove_temp_and_raise;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
      ::sigaction(kStopSignals[i], nullptr, &g_previous[i]);
      if (g_previous[i].sa_handler != SIG_IGN) ::sigaction(kStopSignals[i], &action, nullptr);
    }
  }
  // mkstemp on `pattern`, noted for the handler; then the signals are let through.
  int create(std::string& pattern) {
    const int fd = ::mkstemp(pattern.data());
    for (std::size_t i = 0; i < kSlots && fd >= 0 && pattern.size() <= PATH_MAX; ++i) {
      if (g_used[i]) continue;
      std::memcpy(g_temps[i], pattern.c_str(), pattern.size() + 1);
      g_used[i] = 1;
      slot_ = i;
      break;
    }
    ::sigprocmask(SIG_SETMASK, &unblocked_, nullptr);
    return fd;
  }
  // The temporary file is gone (renamed or removed): the handler leaves its name alone.
  void forget() {
    if (slot_ < kSlots) g_used[slot_] = 0;
    slot_ = kSlots;
  }
  ~TempFileGuard() {
    forget();
    if (--g_guards == 0) {
      for (std::size_t i = 0; i < std::size(kStopSignals); ++i) ::sigaction(kStopSignals[i], &g_previous[i], nullptr);
    }
    ::sigprocmask(SIG_SETMASK, &unblocked_, nullptr);
  }
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;

 private:
  sigset_t unblocked_;
  std::size_t slot_ = kSlots;  // kSlots: none
};

}  // namespace atomic_file_detail

namespace {

using atomic_file_detail::TempFileGuard;

// While it lives, SIGXFSZ is ignored: a write beyond the file size limit
// (`ulimit -f`) then fails with EFBIG, reported as any failed write, instead of
// ending the process with the temporary file left behind.
class FileSizeSignalIgnored {
 public:
  FileSizeSignalIgnored() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGXFSZ, &ignore, &previous_);
  }
  ~FileSizeSignalIgnored() { ::sigaction(SIGXFSZ, &previous_, nullptr); }
  FileSizeSignalIgnored(const FileSizeSignalIgnored&) = delete;
  FileSizeSignalIgnored& operator=(const FileSizeSignalIgnored&) = delete;

 private:
  struct sigaction previous_ {};
};

// ---- where the content goes ----

// The descriptor a name such as /dev/stdout or /proc/self/fd/3 stands for.
std::optional<int> descriptor_named(const fs::path& path) {
  if (path == "-") return 1;
  const std::string name = path.lexically_normal().string();
  if (name == "/dev/stdout") return 1;
  if (name == "/dev/stderr") return 2;
  for (const std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (name.size() > prefix.size() && name.size() <= prefix.size() + 9 && name.compare(0, prefix.size(), prefix) == 0 &&
        name.find_first_not_of("0123456789", prefix.size()) == std::string::npos) {
      return std::stoi(name.substr(prefix.size()));
    }
  }
  return std::nullopt;
}

void write_all(int fd, std::string_view content, const fs::path& path, const std::string& temp) {
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      if (!temp.empty()) {
        ::close(fd);
        ::unlink(temp.c_str());
      }
      fail(path, "write failed", err);
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
}

// The file to replace: `given`, or the end of its chain of symbolic links; or
// the descriptor a link on the way names (written through, not replaced).
struct Target {
  fs::path path;
  std::optional<int> descriptor;
};

Target resolve(const fs::path& given) {
  fs::path p = given;
  for (int hops = 0;; ++hops) {
    if (const std::optional<int> fd = descriptor_named(p)) return {p, fd};
    if (p.lexically_normal().string().rfind("/proc/", 0) == 0) {
      throw DataError("cannot write " + given.string() + ": it leads into /proc, not to a file",
                      "give the name of a file; for the trace on standard output use --json");
    }
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec))) return {p, std::nullopt};
    if (hops == kMaxLinks) {
      throw DataError("cannot write " + given.string() + ": too many levels of symbolic links (a loop?)");
    }
    const fs::path next = fs::read_symlink(p, ec);
    if (ec) fail(given, "cannot read the link", ec.value());
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
}

// "DIR/.NAME.tmp-XXXXXX", with NAME shortened so that the whole fits the
// folder's longest file name whenever NAME itself does.
std::string temp_pattern(const fs::path& path) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : ".";
  long name_max = ::pathconf(dir.c_str(), _PC_NAME_MAX);
  if (name_max <= 0) name_max = 255;
  std::string name = path.filename().string();
  const std::size_t extra = 1 + kTempSuffix.size();
  if (name.size() + extra > static_cast<std::size_t>(name_max)) {
    name.resize(static_cast<std::size_t>(name_max) > extra ? static_cast<std::size_t>(name_max) - extra : 0);
  }
  return (dir / ("." + name + std::string(kTempSuffix))).string();
}

// The permission bits of the new file: those of the file it replaces, else
// 0666 less the umask.
mode_t mode_for(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return st.st_mode & 07777;
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

bool names_standard_output(const fs::path& path) {
  try {
    return resolve(path).descriptor == STDOUT_FILENO;
  } catch (const DataError&) {
    return false;
  }
}

void write_file_atomically(const fs::path& given, std::string_view content) {
  write_file_atomically(given, [content](const ContentWriter& write) { write(content); });
}

void write_file_atomically(const fs::path& given, const std::function<void(const ContentWriter&)>& produce) {
  StagedFile(given, produce).commit();
}

struct StagedFile::Impl {
  std::optional<atomic_file_detail::TempFileGuard> guard;  // from the temporary file's creation on
  fs::path path;     // the target, links followed
  std::string temp;  // the temporary file beside it; empty: written through a descriptor, or gone
};

StagedFile::StagedFile(const fs::path& given, const std::function<void(const ContentWriter&)>& produce)
    : impl_(std::make_unique<Impl>()) {
  if (given.empty()) throw DataError("cannot write a file with an empty name");
  const Target target = resolve(given);
  const FileSizeSignalIgnored no_sigxfsz;
  if (target.descriptor) {
    if (*target.descriptor == STDIN_FILENO) {
      throw DataError("cannot write " + given.string() + ": that is standard input",
                      "give the name of a file; for the trace on standard output use --json");
    }
    if (::fcntl(*target.descriptor, F_GETFD) == -1) fail(given, "not an open descriptor", errno);
    produce([&](std::string_view piece) { write_all(*target.descriptor, piece, given, ""); });
    return;
  }
  const fs::path& path = impl_->path = target.path;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::is_directory(status)) {
    throw DataError("cannot write " + given.string() + ": it is a directory");
  }
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    // Renaming over a FIFO or a device would replace it with a plain file.
    throw DataError("cannot write " + given.string() + ": not a regular file (a device, FIFO or socket)",
                    "give the name of a file; for the trace on standard output use --json");
  }
  const mode_t mode = mode_for(path);

  std::string temp = temp_pattern(path);
  const int fd = impl_->guard.emplace().create(temp);
  if (fd < 0) fail(path, "cannot create a temporary file in " + fs::path(temp).parent_path().string(), errno);
  bool failed = false;  // write_all closed and removed the temporary file
  try {
    produce([&](std::string_view piece) {
      try {
        write_all(fd, piece, path, temp);
      } catch (...) {
        failed = true;
        throw;
      }
    });
  } catch (...) {
    if (!failed) {
      ::close(fd);
      ::unlink(temp.c_str());
    }
    throw;
  }
  ::fchmod(fd, mode);  // mkstemp creates the file 0600
  const int synced = ::fsync(fd) == 0 ? 0 : errno;
  const int closed = ::close(fd) == 0 ? 0 : errno;  // closed whether or not fsync worked
  if (synced != 0 || closed != 0) {
    ::unlink(temp.c_str());
    fail(path, "flush failed", synced != 0 ? synced : closed);
  }
  impl_->temp = temp;
}

void StagedFile::commit() {
  if (impl_->temp.empty()) return;
  const std::string temp = std::exchange(impl_->temp, "");
  if (::rename(temp.c_str(), impl_->path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    impl_->guard.reset();
    fail(impl_->path, "rename failed", err);
  }
  impl_->guard.reset();
}

StagedFile::~StagedFile() {
  if (impl_ && !impl_->temp.empty()) ::unlink(impl_->temp.c_str());
}

}  // namespace attn
