// render_header.hpp: the run's header (sentence, tokens, table or model,
// projection, heads, scaling, ...) as labelled fields, and as the text that
// opens the tables.
//
// header_fields() is the one place that says what the header holds; the
// terminal's header (render_header()) and the HTML page's description list
// (render_html_page.hpp) both lay out these fields, so neither reads the
// other's output.
//
// Promises:
//   - Fields come in the order the terminal prints them: "sentence", "tokens",
//     then "marks" (when a token is marked), "model", "layer", "token ids",
//     "next token" (a model run) or "table", then "projection", "heads",
//     "scaling", "softmax", "causal", "dropout", "unknown" when they apply.
//   - A field's value holds no line break and no control character (text from
//     the user goes through display_escape() or printable()).
//   - It only reads the Trace.
#pragma once

#include <string>
#include <vector>

#include "attn/trace.hpp"

namespace attn {

struct HeaderField {
  std::string name;   // "sentence", "token ids", ...: at most 10 columns
  std::string value;  // as the terminal shows it
};

// REQUIRES: 0 ≤ precision ≤ 9; the trace has at least one head.
std::vector<HeaderField> header_fields(const Trace& trace, int precision);

// The header as text: the title line, a blank line, then one "  name  value"
// line per field, the values lined up.
std::string render_header(const Trace& trace, int precision);

}  // namespace attn
