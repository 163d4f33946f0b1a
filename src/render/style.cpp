#include "attn/render/style.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace attn {

namespace {

// A colour of the 6 × 6 × 6 cube: levels 0..5 for red, green and blue.
int cube(int r, int g, int b) { return 16 + 36 * r + 6 * g + b; }

int level(float x) { return std::clamp(static_cast<int>(std::lround(x * 5.0f)), 0, 5); }

}  // namespace

std::string shade(std::string_view text, Shade kind, float t, bool on) {
  if (!on || kind == Shade::none || std::isnan(t)) return std::string(text);
  int background;
  bool dark;
  if (kind == Shade::sequential) {
    const float v = std::clamp(t, 0.0f, 1.0f);
    background = cube(level(1.0f - v), level(1.0f - 0.6f * v), 5);
    dark = v > 0.55f;
  } else {
    const float v = std::clamp(t, -1.0f, 1.0f);
    const int fade = level(1.0f - std::fabs(v));
    background = v < 0 ? cube(fade, fade, 5) : cube(5, fade, fade);
    dark = std::fabs(v) > 0.7f;
  }
  return fmt::format("\x1b[48;5;{}m\x1b[38;5;{}m{}\x1b[0m", background, dark ? 231 : 16, text);
}

std::string bold(std::string_view text, bool on) {
  return on ? fmt::format("\x1b[1m{}\x1b[22m", text) : std::string(text);
}

std::string dim(std::string_view text, bool on) {
  return on ? fmt::format("\x1b[2m{}\x1b[22m", text) : std::string(text);
}

bool use_color(std::string_view mode, bool stdout_is_terminal, const char* no_color_env) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  return stdout_is_terminal && (no_color_env == nullptr || *no_color_env == '\0');
}

}  // namespace attn
