// cli_exercise.hpp: `attn-explain exercise`, wired from the command line to the
// exercise engine, the progress file and the renderers. It computes nothing itself.
#pragma once

#include <optional>
#include <string>

namespace attn {

struct ExerciseCommand {
  std::string id;                     // empty: list the exercises
  bool json = false;
  bool hint = false;
  bool solution = false;
  std::optional<std::string> answer;
  bool reset = false;
  int precision = 4;
  bool color = false;
};

// Returns the exit code: 0, or 1 for a wrong answer. Throws Error for bad data or usage.
int run_exercise(const ExerciseCommand& command);

}  // namespace attn
