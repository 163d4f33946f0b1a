// render_focus.hpp: one query token's arithmetic, spelled out number by number.
// (Being written.)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "attn/trace.hpp"

namespace attn {

struct FocusOptions {
  int precision = 4;
  bool color = false;
};

// The 0-based row of the token `spec` names: its text (exact, then ignoring
// ASCII case; the first occurrence) or its 1-based position ("2" is x(2)).
// Throws UsageError naming the token and listing the sentence's tokens.
std::size_t find_focus(const Trace& trace, std::string_view spec);

// REQUIRES: row < trace.tokens.size().
std::string render_focus(const Trace& trace, std::size_t row, const FocusOptions& options);

}  // namespace attn
