// data_dir.hpp: where the program finds its bundled data (tables, lessons).
//
// data_dirs() lists the folders searched, in order:
//   1. $ATTN_EXPLAIN_DATA, when set;
//   2. the installed data folder, found relative to the running binary
//      (<prefix>/bin/attn-explain → <prefix>/share/attn-explain);
//   3. the source tree's data/ folder, for a binary run from its build tree.
// find_data_file() returns the first existing <dir>/<name>, or throws
// DataError listing the places it looked.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace attn {

inline constexpr const char* kDefaultTable = "default.json";

std::vector<std::filesystem::path> data_dirs();
std::filesystem::path find_data_file(const std::string& name);

// The *.json files of the bundled folder `folder` (e.g. "lessons") in the
// first data folder that has it, sorted by name; throws DataError when none has it.
std::vector<std::filesystem::path> bundled_json_files(const std::string& folder);

// The table a --embeddings argument names: the file itself when it exists,
// else, for a bare file name such as "journey.json", the bundled table of that
// name when there is one, else the argument unchanged (loading it then reports
// the missing file).
std::filesystem::path resolve_table(const std::string& argument);

// The program's version, from the build ("0.1.0").
const char* version();

// The git commit the program was built from: "commit " and `git rev-parse --short HEAD`
// ("commit 824bad7", "commit 824bad7-dirty" with uncommitted changes), or "unknown commit"
// when the source was not a git checkout (cmake/build_commit.cmake).
const char* build_commit();

}  // namespace attn
