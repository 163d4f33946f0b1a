#include "attn/render_focus.hpp"

#include "attn/error.hpp"

namespace attn {

std::size_t find_focus(const Trace&, std::string_view spec) {
  throw UsageError("--focus " + std::string(spec) + ": not written yet");
}

std::string render_focus(const Trace&, std::size_t, const FocusOptions&) { return {}; }

}  // namespace attn
