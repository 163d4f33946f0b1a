// render_model_summary.hpp: `--model DIR --layer all` as text: every layer and head at a glance.
//
// Reads trace.layer_weights ([layer][head] weights) and prints two tables:
//   1. layer × head: the pattern most query tokens follow (head_patterns.hpp):
//      "prev 92%" (each token looks at the one before), "first 80%", "self 60%",
//      "other 55%", or "·" when no pattern holds for more than half the tokens;
//   2. token × layer: the token each query attends to most, the layer's heads averaged.
// Then the most likely next tokens. Computes no attention: it reads the weights.
#pragma once

#include <string>

#include "attn/trace.hpp"

namespace attn {

struct SummaryOptions {
  bool color = false;  // bold titles
};

// REQUIRES: trace.model, and trace.layer_weights holds n_layer × n_head matrices.
std::string render_model_summary(const Trace& trace, const SummaryOptions& options);

}  // namespace attn
