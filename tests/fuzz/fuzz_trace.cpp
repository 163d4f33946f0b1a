// fuzz_trace: attn::parse_trace on any bytes, then the renderers on what it
// returns. parse_trace either throws DataError or returns a Trace that keeps
// trace.hpp's shape promises (checked here); the tables, the focus view of
// every token and the SVG heatmap then draw it without crashing, whatever its
// numbers (NaN, ±inf, huge), as `attn-explain render` would, and whatever its
// strings hold, none of their control or bidirectional characters is drawn raw.
// A broken promise or any other exception aborts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "attn/util/error.hpp"
#include "attn/render/render_focus.hpp"
#include "attn/render/render_svg.hpp"
#include "attn/render/render_table.hpp"
#include "attn/trace_read.hpp"

namespace {

#define CHECK(cond)                \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

void check_shape(const attn::Matrix& m, std::size_t rows, std::size_t cols) {
  CHECK(m.rows == rows && m.cols == cols && m.data.size() == rows * cols);
}

// Whatever strings the trace holds, what is drawn shows none of them raw: no C0
// control but the newline, no DEL, no C1 control, no bidirectional control
// (U+202A-202E, U+2066-2069), as echo.hpp's display_escape() promises.
void check_shown(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto next = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0; };
    CHECK(!((c < 0x20 && c != '\n') || c == 0x7F));
    CHECK(!(c == 0xC2 && next(1) >= 0x80 && next(1) <= 0x9F));
    CHECK(!(c == 0xE2 && ((next(1) == 0x80 && next(2) >= 0xAA && next(2) <= 0xAE) ||
                          (next(1) == 0x81 && next(2) >= 0xA6 && next(2) <= 0xA9))));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  attn::Trace t;
  try {
    t = attn::parse_trace(text, "fuzz.json");
  } catch (const attn::DataError&) {
    return 0;
  }
  const std::size_t n = t.tokens.size();
  const attn::Settings& s = t.settings;
  CHECK(n >= 1 && t.heads.size() == s.heads);
  check_shape(t.inputs, n, s.d_in);
  for (const attn::HeadTrace& h : t.heads) {
    check_shape(h.queries, n, s.head_dim);
    check_shape(h.attn_scores, n, n);
    check_shape(h.attn_weights, n, n);
    check_shape(h.context_vec, n, s.head_dim);
    CHECK(h.masked_scores.has_value() == (s.causal && s.causal_method == attn::CausalMethod::inf));
    CHECK(h.dropout_mask.has_value() == (s.dropout > 0.0));
  }
  // Drawing it is bounded: the fuzzer keeps traces small, the renderers must not crash.
  if (n > 12 || s.d_in > 16 || s.head_dim > 16 || s.heads > 4) return 0;
  attn::RenderOptions options = attn::with_precision(static_cast<int>(size % 10));
  options.width = size % 3 == 0 ? 40 : 0;
  const std::string tables = attn::render_walkthrough(t, options);
  CHECK(!tables.empty());
  check_shown(tables);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string focus = attn::render_focus(t, i, attn::FocusOptions{4, false, std::nullopt});
    CHECK(!focus.empty());
    check_shown(focus);
  }
  const std::string svg = attn::render_svg(t, attn::SvgOptions{4, ""});
  CHECK(!svg.empty());
  check_shown(svg);
  return 0;
}
