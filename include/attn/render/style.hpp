// style.hpp: terminal colour for the renderers, as plain functions of values.
//
// Every function returns its text unchanged when `on` is false, so a renderer
// can call them unconditionally and never leak an escape code into a pipe or a
// file. Colours are from the 256-colour palette that every modern terminal has:
//   sequential - weights in [0, 1]: white (0) to deep blue (1);
//   diverging  - signed values scaled by the largest |value| of their matrix:
//                blue (negative), white (0), red (positive).
#pragma once

#include <string>
#include <string_view>

namespace attn {

enum class Shade { none, sequential, diverging };

// `text` on a background shaded by `t`: in [0, 1] for sequential, [-1, 1] for diverging.
std::string shade(std::string_view text, Shade kind, float t, bool on);

std::string bold(std::string_view text, bool on);
std::string dim(std::string_view text, bool on);

// Colour decision for --color auto|always|never: auto means stdout is a
// terminal and NO_COLOR is unset or empty.
bool use_color(std::string_view mode, bool stdout_is_terminal, const char* no_color_env);

}  // namespace attn
