// render_lens.hpp: what a model run predicts, as text: the logit lens (Trace::lens) and
// --generate's steps (Trace::generation). The tables (render_table.hpp) and the --layer all
// summary print them as sections under these titles.
//
// The lens grid: row 0 is the embeddings, row l the residual stream after block l; each column a
// position, labelled by its token; each cell the lens' top token there and its
// probability ("·ball 31.4%"). A grid wider than `width` columns prints in blocks of
// positions, each under the row labels again. It only reads the Trace.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "attn/trace.hpp"

namespace attn {

// "·ball 31.4%, ·cup 12%": tokens with their probabilities, as the next-token lists print them.
std::string next_token_list(const std::vector<NextToken>& tokens);

// Each token's mean, variance and √(variance + ε) of a LayerNorm: n × 3, for a table.
Matrix layer_norm_statistics(const LayerNormTrace& ln);

// "embeddings" for 0, "block L" for L.
std::string lens_layer_name(std::size_t layer);

// REQUIRES: !t.lens.empty(), each position with at least one token. width 0: no limit.
std::string render_lens_grid(const Trace& t, std::size_t width);

inline constexpr const char* kLensTitle =
    "Logit lens  what the model would predict after each layer: ln_f and the tied embedding applied to the residual "
    "stream there (top token and its probability; row = layer, column = position)";

// The grid, then the top K at the last position, layer by layer. REQUIRES: as render_lens_grid.
std::string render_lens(const Trace& t, std::size_t width);

// The generation section's title, and each step: its top list, the draw u, the chosen token.
// REQUIRES: t.generation.
std::string generation_title(const Trace& t);
std::string render_generation(const Trace& t, int precision);

}  // namespace attn
