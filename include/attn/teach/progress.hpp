// progress.hpp: which exercises a learner has solved, kept between runs.
//
// The file is $XDG_STATE_HOME/attn-explain/progress.json (when XDG_STATE_HOME
// is unset, empty or not absolute, as the XDG spec says to ignore it:
// $HOME/.local/state/attn-explain/progress.json):
//   {"version": 1, "exercises": {"dot-product": {"solved": true, "hints": 2, "attempts": 3}}}
// Every entry has all three fields: "solved" a boolean, "hints" and "attempts"
// whole numbers from 0 to INT_MAX. Keys this version does not know, in an entry
// or beside "version" and "exercises", are ignored (a newer attn-explain may add
// some) and are not written back.
//
// save_progress() writes it atomically (a reader, or a crash, sees the old file
// or the new one, never half of one). load_progress() never fails on a bad
// file: a corrupt one is renamed aside (progress.json.corrupt) and reported in
// `note`, and the learner starts afresh.
#pragma once

#include <filesystem>
#include <limits>
#include <map>
#include <string>

namespace attn {

struct ExerciseProgress {
  bool solved = false;
  int hints = 0;     // hints shown so far, ≥ 0
  int attempts = 0;  // answers checked, ≥ 0
  bool operator==(const ExerciseProgress&) const = default;
};

// One more answer checked; the count stops at its largest value rather than
// wrapping (a progress file may hold any count up to INT_MAX).
inline void count_attempt(ExerciseProgress& p) {
  if (p.attempts < std::numeric_limits<int>::max()) ++p.attempts;
}

struct Progress {
  std::map<std::string, ExerciseProgress> exercises;  // by exercise id
  bool operator==(const Progress&) const = default;
};

// Where the progress file lives, from the environment ($XDG_STATE_HOME, $HOME).
// Throws DataError when neither gives an absolute folder.
std::filesystem::path progress_path();

// Reads the progress file. Never throws for the file or its content; `note` is
// set to one or two sentences for the learner when something was wrong, and
// cleared otherwise:
// - missing (or its folder missing): empty progress, empty note;
// - corrupt (not JSON, empty, binary, wrong version, shape or types, a negative
//   or too large count, nesting deeper than a few levels, duplicate keys):
//   renamed to `<path>.corrupt` (replacing an older one), empty progress, and
//   `note` names the file, the reason and where it went (or why it could not
//   be moved, in which case the next save replaces it);
// - not readable (a directory or other non-regular file in its place, no
//   permission): left where it is, empty progress, and `note` says why.
Progress load_progress(const std::filesystem::path& path, std::string& note);

// Creates the folder when needed and writes the whole file atomically: pretty
// JSON, ids sorted, ending in a newline. Throws DataError naming the file when
// it cannot write (or when a count is negative, which load_progress would
// refuse); the old file is then left as it was.
void save_progress(const std::filesystem::path& path, const Progress& progress);

// Removes the file (no error when it does not exist). Throws DataError naming
// the file when it cannot be removed, or when it is a directory. A
// `<path>.corrupt` beside it is kept.
void reset_progress(const std::filesystem::path& path);

}  // namespace attn
