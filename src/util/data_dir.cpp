#include "attn/util/data_dir.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>
#include <system_error>

#include "attn/util/error.hpp"

namespace attn {

namespace fs = std::filesystem;

std::vector<fs::path> data_dirs() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("ATTN_EXPLAIN_DATA"); env && *env) dirs.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back((exe.parent_path() / ATTN_DATA_FROM_BIN).lexically_normal());
  dirs.emplace_back(ATTN_SOURCE_DATA_DIR);
  return dirs;
}

fs::path find_data_file(const std::string& name) {
  std::string looked;
  for (const fs::path& dir : data_dirs()) {
    std::error_code ec;
    const fs::path candidate = dir / name;
    if (fs::is_regular_file(candidate, ec)) return candidate;
    looked += (looked.empty() ? "" : ", ") + candidate.string();
  }
  throw DataError("cannot find the bundled file " + name + " (looked in " + looked + ")",
                  name == kDefaultTable ? "set ATTN_EXPLAIN_DATA to the folder that holds it, or name a table with --embeddings FILE"
                                        : "set ATTN_EXPLAIN_DATA to the folder that holds it");
}

std::vector<fs::path> bundled_json_files(const std::string& folder) {
  for (const fs::path& dir : data_dirs()) {
    std::error_code ec;
    if (!fs::is_directory(dir / folder, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir / folder, ec)) {
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
  }
  throw DataError(fmt::format("cannot find the bundled {0} (no {0}/ folder in the data folders)", folder),
                  fmt::format("set ATTN_EXPLAIN_DATA to the folder that holds {}/", folder));
}

fs::path resolve_table(const std::string& argument) {
  std::error_code ec;
  const fs::path path(argument);
  if (fs::exists(path, ec) || argument.find('/') != std::string::npos) return path;
  for (const fs::path& dir : data_dirs()) {
    if (fs::is_regular_file(dir / argument, ec)) return dir / argument;
  }
  return path;
}

const char* version() { return ATTN_VERSION; }

}  // namespace attn
