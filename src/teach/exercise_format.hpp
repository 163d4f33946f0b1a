// exercise_format.hpp: the spelling rules of the exercise file format that
// more than the loader needs.
//
// parse_exercise() and the other loaders of exercise.hpp (exercise_format.cpp)
// read data/exercises/*.json (docs/exercise-format.md). The format writes a
// token either as its text or as its 1-based position, and find_exercise()
// takes an id or a position: all_digits() is how a position is told apart, the
// same for the loader and the solver.
#pragma once

#include <string_view>

namespace attn {

// Whether `s` is a position: not empty, digits only.
bool all_digits(std::string_view s);

}  // namespace attn
