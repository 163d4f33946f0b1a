// progress.hpp: which exercises a learner has solved, kept between runs.
//
// The file is $XDG_STATE_HOME/attn-explain/progress.json (when XDG_STATE_HOME
// is unset or not absolute: ~/.local/state/attn-explain/progress.json):
//   {"version": 1, "exercises": {"dot-product": {"solved": true, "hints": 2, "attempts": 3}}}
// save_progress() writes it atomically (a reader, or a crash, sees the old file
// or the new one, never half of one). load_progress() never fails on a bad
// file: a corrupt one is renamed aside (progress.json.corrupt) and reported in
// `note`, and the learner starts afresh.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace attn {

struct ExerciseProgress {
  bool solved = false;
  int hints = 0;     // hints shown so far
  int attempts = 0;  // answers checked
};

struct Progress {
  std::map<std::string, ExerciseProgress> exercises;
};

// Where the progress file lives, from the environment ($XDG_STATE_HOME, $HOME).
// Throws DataError when neither gives an absolute folder.
std::filesystem::path progress_path();

// A missing file is empty progress. A corrupt one (not JSON, wrong shape) is
// moved aside and `note` says so; a file that cannot be read at all leaves
// `note` saying why. Never throws for the file's content.
Progress load_progress(const std::filesystem::path& path, std::string& note);

// Creates the folder when needed; throws DataError naming the file when it cannot write.
void save_progress(const std::filesystem::path& path, const Progress& progress);

// Removes the file (no error when it does not exist).
void reset_progress(const std::filesystem::path& path);

}  // namespace attn
