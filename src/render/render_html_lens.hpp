// render_html_lens.hpp: a model run's predictions on the HTML page: the logit lens
// (Trace::lens) as a grid of layer × position, each cell the top token and its
// probability, shaded by that probability; and --generate's steps as a list.
// Both only read the Trace and escape every token.
#pragma once

#include <string>

#include "attn/trace.hpp"

namespace attn {

// "" without a lens.
std::string lens_html(const Trace& t, const std::string& id);

// "" without --generate.
std::string generation_html(const Trace& t, const std::string& id, int precision);

}  // namespace attn
