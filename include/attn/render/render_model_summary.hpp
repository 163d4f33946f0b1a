// render_model_summary.hpp: `--model DIR --layer all` as text: every layer and head at a glance.
//
// Reads trace.layer_weights ([layer][head] weights) and prints two tables:
//   1. layer × head: where most tokens put their largest weight (head_patterns.hpp):
//      "prev 92%" (each token looks at the one before), "first 80%", "self 60%",
//      "it→dog 55%" (other tokens; the strongest such link), or "(prev 44%)" when
//      no pattern holds for more than half the tokens (the largest share in
//      brackets). The shares leave out the first two tokens, and say so;
//   2. token × layer: the token each query attends to most, the layer's heads averaged.
// Then the most likely next tokens. Computes no attention: it reads the weights.
// head_caption() and where_tokens_look() are the same words for the HTML grid.
#pragma once

#include <string>
#include <vector>

#include "attn/trace.hpp"
#include "attn/head_patterns.hpp"

namespace attn {

struct SummaryOptions {
  bool color = false;  // bold titles
};

// REQUIRES: trace.model, and trace.layer_weights holds n_layer × n_head matrices.
std::string render_model_summary(const Trace& trace, const SummaryOptions& options);

// A head in words a learner reads: "previous token 92%", "first token 80%",
// "itself 60%", "other tokens 55%: strongest it → dog (0.62)", or "no majority:
// previous token 44%, first token 33%". `tokens` label the link.
std::string head_caption(const HeadProfile& p, const std::vector<std::string>& tokens, int precision);

// The summary table's short cell for a head: "prev 48%", "it→dog 56%", "(prev 44%)"
// (no majority: the largest share in brackets), "·" for one token.
std::string pattern_cell(const HeadProfile& p, const std::vector<std::string>& tokens);

// The line that says which tokens the shares leave out, and why.
std::string shares_note(std::size_t n);

// The table "Where each token looks": a header row ("token", "1", "2", ...), then
// per token its label and, per layer, the key it attends to most (the layer's heads averaged).
std::vector<std::vector<std::string>> where_tokens_look(const Trace& t);

}  // namespace attn
