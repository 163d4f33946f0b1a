// focus_block.hpp: the focus walkthrough past the attention, in a model run.
//
// write_block() follows token i through the rest of the block (Trace::block): the
// LayerNorm before the attention (ln_1), the residual sum, ln_2, the MLP and the
// block's output. A LayerNorm is spelled out as the book's LayerNorm class computes
// it: the row's mean as a sum over n_embd numbers divided by n_embd, the variance as
// the mean of the squared differences, √(variance + ε), then, component by component,
// (x − mean) / √(variance + ε) × weight + bias. A residual is spelled a component at a
// time: h + attention = residual.
//
// Promises: the means, variances, square roots and every stage's row are the Trace's;
// only the sums and squared differences of a spelled line are computed, in float32, for
// display. Long rows show their first components and the last (kMaxTerms).
#pragma once

#include "focus_page.hpp"

namespace attn {

// REQUIRES: page.trace.block.
void write_block(FocusPage& page);

}  // namespace attn
