#include "attn/teach/progress.hpp"

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "attn/util/atomic_file.hpp"
#include "attn/util/echo.hpp"
#include "attn/util/error.hpp"
#include "attn/util/json_file.hpp"

namespace attn {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kVersion = 1;
// The format needs 4 levels (document, exercises, entry, field); the rest is room
// for what a newer version may add inside an entry.
constexpr int kMaxDepth = 8;
// A real progress file is a few kilobytes (about 70 bytes per exercise).
constexpr std::size_t kMaxBytes = std::size_t{16} << 20;
// A reason quoted in a note is cut here: nlohmann quotes the whole token it
// choked on, which may be a megabyte-long string.
constexpr std::size_t kMaxReason = 160;

// The reason a file is corrupt, thrown inside this file only.
struct Corrupt {
  std::string reason;
};

[[noreturn]] void corrupt(std::string reason) { throw Corrupt{std::move(reason)}; }


int count(const json& entry, const std::string& id, const char* key) {
  if (!entry.contains(key)) corrupt(fmt::format("exercise \"{}\" has no \"{}\"", printable(id, kMaxReason), key));
  const json& v = entry.at(key);
  const auto where = fmt::format("\"{}\" of exercise \"{}\"", key, printable(id, kMaxReason));
  if (v.is_number_unsigned()) {
    const auto n = v.get<std::uint64_t>();
    if (n > static_cast<std::uint64_t>(INT_MAX)) corrupt(fmt::format("{} is {}, more than {}", where, n, INT_MAX));
    return static_cast<int>(n);
  }
  if (v.is_number_integer()) corrupt(fmt::format("{} is {}, expected 0 or more", where, v.get<std::int64_t>()));
  if (v.is_number()) corrupt(fmt::format("{} is {}, expected a whole number", where, v.dump()));
  corrupt(fmt::format("{} is {}, expected a whole number", where, json_type_name(v)));
}

Progress from_json(const json& doc) {
  if (!doc.is_object()) corrupt(fmt::format("the document is {}, expected an object", json_type_name(doc)));
  if (!doc.contains("version")) corrupt("no \"version\"");
  const json& version = doc.at("version");
  if (!version.is_number_unsigned() || version.get<std::uint64_t>() != kVersion) {
    corrupt(fmt::format("\"version\" is {}, expected {}", printable(version.dump(), kMaxReason), kVersion));
  }
  if (!doc.contains("exercises")) corrupt("no \"exercises\"");
  const json& exercises = doc.at("exercises");
  if (!exercises.is_object()) {
    corrupt(fmt::format("\"exercises\" is {}, expected an object", json_type_name(exercises)));
  }
  Progress progress;
  for (const auto& [id, entry] : exercises.items()) {
    if (!entry.is_object()) {
      corrupt(fmt::format("exercise \"{}\" is {}, expected an object", printable(id, kMaxReason), json_type_name(entry)));
    }
    if (!entry.contains("solved")) corrupt(fmt::format("exercise \"{}\" has no \"solved\"", printable(id, kMaxReason)));
    const json& solved = entry.at("solved");
    if (!solved.is_boolean()) {
      corrupt(fmt::format("\"solved\" of exercise \"{}\" is {}, expected true or false", printable(id, kMaxReason),
                          json_type_name(solved)));
    }
    ExerciseProgress p;
    p.solved = solved.get<bool>();
    p.hints = count(entry, id, "hints");
    p.attempts = count(entry, id, "attempts");
    progress.exercises.emplace(id, p);
  }
  return progress;
}

// The parsed progress of `text`; throws Corrupt.
Progress parse(const std::string& text, const fs::path& path) {
  if (text.empty()) corrupt("the file is empty");
  // nlohmann stops at a NUL byte as at the end of the input, so `{...}` followed by
  // the zeros a cut-short write can leave would pass; JSON text never holds one.
  if (const auto nul = text.find('\0'); nul != std::string::npos) {
    corrupt(fmt::format("a NUL byte at offset {}: binary data, not JSON text", nul));
  }
  const std::string source = path.filename().string();
  json doc;
  try {
    doc = parse_json_document(text, source, kMaxDepth);
  } catch (const DataError& e) {
    // "<source>:<line>:<column>: <what>" or "<source>: <what>": keep the source as
    // given, make the rest printable.
    const std::string what = e.what();
    if (what.rfind(source, 0) == 0) corrupt(source + printable(what.substr(source.size()), kMaxReason));
    corrupt(printable(what, kMaxReason));
  } catch (const json::exception& e) {
    corrupt(printable(e.what(), kMaxReason));
  }
  return from_json(doc);
}

// The bytes of the file, std::nullopt when it does not exist; throws Corrupt
// when it is too large, and sets `unreadable` when it cannot be read.
std::optional<std::string> read_bytes(const fs::path& path, std::string& unreadable) {
  // O_NONBLOCK: a FIFO in place of the file must not hang the program.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    unreadable = std::strerror(errno);
    return std::nullopt;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    unreadable = std::strerror(errno);
    return std::nullopt;
  }
  if (S_ISDIR(st.st_mode)) {
    unreadable = "it is a directory";
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    unreadable = "it is not a regular file";
    return std::nullopt;
  }
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxBytes) {
    corrupt(fmt::format("{} bytes, more than a progress file ever holds", static_cast<std::uintmax_t>(st.st_size)));
  }
  std::string bytes;
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      unreadable = std::strerror(errno);
      return std::nullopt;
    }
    if (got == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(got));
    if (bytes.size() > kMaxBytes) corrupt("the file keeps growing beyond what a progress file ever holds");
  }
  return bytes;
}

}  // namespace

fs::path progress_path() {
  const char* state = std::getenv("XDG_STATE_HOME");
  if (state != nullptr && *state != '\0' && fs::path(state).is_absolute()) {
    return fs::path(state) / "attn-explain" / "progress.json";
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0' && fs::path(home).is_absolute()) {
    return fs::path(home) / ".local" / "state" / "attn-explain" / "progress.json";
  }
  throw DataError("cannot tell where to keep progress: neither XDG_STATE_HOME nor HOME is an absolute folder",
                  "set XDG_STATE_HOME (or HOME) to an absolute folder, such as /home/you/.local/state");
}

Progress load_progress(const fs::path& path, std::string& note) {
  note.clear();
  std::string reason;
  try {
    std::string unreadable;
    const std::optional<std::string> bytes = read_bytes(path, unreadable);
    if (!unreadable.empty()) {
      note = fmt::format("progress file {} could not be read ({}); started afresh without it", path.string(),
                         unreadable);
      return {};
    }
    if (!bytes) return {};
    return parse(*bytes, path);
  } catch (const Corrupt& c) {
    reason = c.reason;
  }
  const fs::path aside = fs::path(path.string() + ".corrupt");
  std::error_code ec;
  fs::rename(path, aside, ec);
  if (ec) {
    note = fmt::format(
        "progress file {} was unreadable ({}) and could not be moved to {} ({}); started afresh, and the next save "
        "will replace it",
        path.string(), reason, aside.string(), ec.message());
  } else {
    note = fmt::format("progress file {} was unreadable ({}); moved it to {} and started afresh", path.string(), reason,
                       aside.string());
  }
  return {};
}

void save_progress(const fs::path& path, const Progress& progress) {
  json exercises = json::object();
  for (const auto& [id, p] : progress.exercises) {
    if (p.hints < 0 || p.attempts < 0) {
      throw DataError(fmt::format("cannot write {}: exercise \"{}\" has {} hints and {} attempts, expected 0 or more",
                                  path.string(), printable(id, kMaxReason), p.hints, p.attempts));
    }
    exercises[id] = json{{"solved", p.solved}, {"hints", p.hints}, {"attempts", p.attempts}};
  }
  const json doc = {{"version", kVersion}, {"exercises", std::move(exercises)}};
  std::string text;
  try {
    text = doc.dump(2);
  } catch (const json::type_error& e) {  // an id that is not UTF-8
    throw DataError(fmt::format("cannot write {}: {}", path.string(), printable(e.what(), kMaxReason)));
  }
  text += '\n';
  if (path.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      throw DataError(fmt::format("cannot write {}: cannot create the folder {}: {}", path.string(),
                                  path.parent_path().string(), ec.message()));
    }
  }
  write_file_atomically(path, text);
}

void reset_progress(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(fs::symlink_status(path, ec))) {
    throw DataError(fmt::format("cannot remove {}: it is a directory, not a progress file", path.string()));
  }
  fs::remove(path, ec);
  if (ec) throw DataError(fmt::format("cannot remove {}: {}", path.string(), ec.message()));
}

}  // namespace attn
