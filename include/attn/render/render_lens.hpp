// render_lens.hpp: the logit lens (Trace::lens) as a grid of text, layer by position.
//
// Row 0 is the embeddings, row l the residual stream after block l; each column a
// position, labelled by its token; each cell the lens' top token there and its
// probability ("·ball 31.4%"). A grid wider than `width` columns prints in blocks of
// positions, each under the row labels again. It only reads the Trace.
#pragma once

#include <cstddef>
#include <string>

#include "attn/trace.hpp"

namespace attn {

// "embeddings" for 0, "block L" for L.
std::string lens_layer_name(std::size_t layer);

// REQUIRES: !t.lens.empty(), each position with at least one token. width 0: no limit.
std::string render_lens_grid(const Trace& t, std::size_t width);

}  // namespace attn
