// fuzz_trace: attn::parse_trace on any bytes, then the renderers on what it
// returns. parse_trace either throws DataError or returns a Trace that keeps
// trace.hpp's shape promises (checked here); the tables, the focus view of
// every token and the SVG heatmap then draw it without crashing, whatever its
// numbers (NaN, ±inf, huge), as `attn-explain render` would. A broken promise
// or any other exception aborts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "attn/error.hpp"
#include "render_focus.hpp"
#include "render_svg.hpp"
#include "render_table.hpp"
#include "trace_read.hpp"

namespace {

#define CHECK(cond)                \
  do {                             \
    if (!(cond)) __builtin_trap(); \
  } while (0)

void check_shape(const attn::Matrix& m, std::size_t rows, std::size_t cols) {
  CHECK(m.rows == rows && m.cols == cols && m.data.size() == rows * cols);
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
  for (std::size_t i = 0; i < n; ++i) CHECK(!attn::render_focus(t, i, attn::FocusOptions{4, false, std::nullopt}).empty());
  CHECK(!attn::render_svg(t, attn::SvgOptions{4, ""}).empty());
  return 0;
}
